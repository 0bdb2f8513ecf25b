/**
 * How long `transferhub --help` takes from process start to exit:
 *   npx tsx bench/cli-start.ts [--runs 15] [extra-entry.js …]
 * Runs each entry `--runs` times one after the other and prints min, median and max wall time:
 * bare `node -e 0` (what this machine charges for any Node process), `node bin/transferhub.js --help`
 * (compiled dist/ when it is built, else tsx compiling on the fly), and each extra entry given
 * (e.g. a main.js compiled into a temporary folder) with `--help`. Besides wall time it prints the
 * CPU time (user + system, from bash's `time`): on a machine shared with other work the wall time
 * mostly measures the queue for a core, the CPU time what the start itself costs.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
// 15 runs: the median is stable to a few milliseconds on a quiet machine; min shows the floor under load.
const RUNS = runsAt === -1 ? 15 : Number(args[runsAt + 1]);
const extra = args.filter((arg, i) => arg !== '--runs' && i !== runsAt + 1);
const root = join(import.meta.dirname, '..');

const quote = (arg: string) => `'${arg.replace(/'/g, `'\\''`)}'`;

function measure(label: string, command: string[]) {
  const wall: number[] = [];
  const cpu: number[] = [];
  const script = `TIMEFORMAT='%3U %3S'; time ${[process.execPath, ...command].map(quote).join(' ')} >/dev/null`;
  for (let i = 0; i < RUNS; i++) {
    const start = process.hrtime.bigint();
    const run = spawnSync('bash', ['-c', script], { cwd: root, encoding: 'utf8' });
    wall.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (run.status !== 0) throw new Error(`${label} exited ${run.status}: ${run.stderr}`);
    const [user, system] = run.stderr.trim().split('\n').at(-1)!.split(' ').map(Number);
    cpu.push((user! + system!) * 1000);
  }
  const ms = (value: number) => `${value.toFixed(0).padStart(5)} ms`;
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  console.log(`${label.padEnd(50)} wall min ${ms(Math.min(...wall))} median ${ms(median(wall))}   cpu median ${ms(median(cpu))}`);
}

console.log(`${RUNS} runs each, node ${process.version}`);
measure('node -e 0 (a bare Node process)', ['-e', '0']);
measure(`bin/transferhub.js --help (${existsSync(join(root, 'dist')) ? 'dist/ is built' : 'no dist/: tsx'})`, [join(root, 'bin', 'transferhub.js'), '--help']);
for (const entry of extra) measure(`${entry} --help`, [entry, '--help']);
