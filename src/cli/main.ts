import { parseArgs } from 'node:util';
import { EXIT_USAGE, UsageError } from './commands/exit-codes.js';
import { licenceDetect } from './commands/licence.command.js';
import { publiccodeValidate } from './commands/publiccode.command.js';
import { spdxCheck } from './commands/spdx.command.js';

const USAGE = `usage / Aufruf:
  transferhub publiccode validate <file> [--json]
  transferhub licence detect <file|dir> [--json]
  transferhub spdx check <expression> [--json]
  transferhub backup <file> [--force]
  transferhub restore <file> [--force]

exit codes: 0 valid/detected/done, 1 invalid/none/failed, 2 usage error`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      json: { type: 'boolean', default: false },
      force: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    allowPositionals: true,
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const [area, action, target, ...rest] = positionals;
  if (area === 'backup' || area === 'restore') {
    if (action === undefined || target !== undefined) throw new UsageError('wrong number of arguments');
    // Loaded on use: the database drivers are not needed by the other commands.
    const commands = await import('./commands/backup.command.js');
    return commands[area](action, { force: values.force ?? false });
  }
  if (target === undefined || rest.length > 0) throw new UsageError('wrong number of arguments');
  const json = values.json ?? false;
  const command = `${area} ${action}`;
  if (command === 'publiccode validate') return publiccodeValidate(target, json);
  if (command === 'licence detect' || command === 'license detect') return licenceDetect(target, json);
  if (command === 'spdx check') return spdxCheck(target, json);
  throw new UsageError(`unknown command / unbekannter Befehl: ${command}`);
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
