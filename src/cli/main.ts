import { parseArgs } from 'node:util';
import { EXIT_USAGE, UsageError } from './commands/exit-codes.js';

/**
 * Each command's module is imported only when that command runs: `transferhub --help` and a
 * release push must not pay for the licence corpora, the publiccode vocabularies or the hub's
 * server code. This file imports nothing else of ours but exit-codes.js (bench/cli-start.ts measures it).
 */
type Command = { run(args: string[]): Promise<number> | number };
const COMMANDS: Record<string, () => Promise<Command>> = {
  'publiccode validate': () => import('./commands/publiccode.command.js'),
  'licence detect': () => import('./commands/licence.command.js'),
  'license detect': () => import('./commands/licence.command.js'),
  'spdx check': () => import('./commands/spdx.command.js'),
  'release push': () => import('./commands/release-push.command.js'),
  'peers add': () => import('./commands/peers.command.js').then((peers) => peers.add),
  'peers list': () => import('./commands/peers.command.js').then((peers) => peers.list),
  'peers pause': () => import('./commands/peers.command.js').then((peers) => peers.pause),
  'peers resume': () => import('./commands/peers.command.js').then((peers) => peers.resume),
  'peers sync': () => import('./commands/peers.command.js').then((peers) => peers.sync),
  'peers quarantine': () => import('./commands/peers.command.js').then((peers) => peers.quarantine),
};

export const USAGE = `usage / Aufruf:
  transferhub publiccode validate <file> [--json | --format text|json|github|gitlab]
  transferhub licence detect <file|dir> [--json]
  transferhub spdx check <expression> [--json]
  transferhub release push [--software <slug|id>] [--repository <url>] [--tag <tag>] [--notes-file <file>]
                           [--url <url>] [--date <iso date>] [--dry-run] [--json] [--retries <n>]
  transferhub peers add <base-url> [--pin <kid,…> | --yes] [--scope all|<key prefixes, e.g. 09,08>]
  transferhub peers list | pause <peer id> | resume <peer id> | sync <peer id>
  transferhub peers quarantine <peer id> [release|discard <entry id>]
    (admin token in TRANSFERHUB_TOKEN / Admin-Token in TRANSFERHUB_TOKEN)
  transferhub backup <file> [--force]
  transferhub restore <file> [--force]
    environment / Umgebung: TRANSFERHUB_URL, TRANSFERHUB_TOKEN; the tag, repository and release URL
    come from the CI's variables (GitHub, GitLab, Forgejo/Gitea Actions)

exit codes: 0 valid/detected/published, 1 invalid/none/refused, 2 usage or configuration error,
  3 token refused (401/403), 4 not found (404), 5 conflict (409), 6 hub unreachable or failing (network, 5xx)`;

export async function run(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  const [area, action, ...rest] = argv;
  // backup and restore are one word with the file after it; loaded on use like the others.
  if (area === 'backup' || area === 'restore') {
    const { values, positionals } = parseArgs({ args: argv.slice(1), options: { force: { type: 'boolean', default: false } }, allowPositionals: true });
    if (positionals.length !== 1) throw new UsageError('wrong number of arguments: transferhub backup|restore <file> [--force]');
    const commands = await import('./commands/backup.command.js');
    return commands[area](positionals[0]!, { force: values.force ?? false });
  }
  // The command words come first (`transferhub spdx check …`); everything after them is the command's.
  const load = COMMANDS[`${area} ${action}`];
  if (!load) throw new UsageError(`unknown command / unbekannter Befehl: ${[area, action].filter(Boolean).join(' ')}`);
  return (await load()).run(rest);
}

try {
  process.exitCode = await run(process.argv.slice(2));
} catch (error) {
  // parseArgs reports unknown options with a TypeError carrying an ERR_PARSE_ARGS_* code.
  const usage = error instanceof UsageError || String((error as { code?: string }).code).startsWith('ERR_PARSE_ARGS');
  if (!usage) throw error;
  console.error(`${(error as Error).message}\n\n${USAGE}`);
  process.exitCode = EXIT_USAGE;
}
