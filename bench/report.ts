/**
 * Programme-report benchmark (issue 11 §5: under 1 s at 100,000 entries and 5,000 organisations):
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/transferhub_bench npm run bench:report [-- --runs 30]
 * on a catalogue seeded by `npm run bench:seed -- --software 100000 --organisations 5000`.
 * Starts the API as a child process in server mode (PostgreSQL, and Redis for the queue under a
 * prefix of its own, with no worker: the seeded repositories are never crawled meanwhile, and the
 * prefix's keys are removed at the end) and calls the report through HTTP,
 * one request at a time (a funder's export, not a hot path), as JSON, as CSV and with a cohort
 * filter, then the same calls on a few connections at once (--connections, default 4: several
 * funders or a dashboard refreshing while someone exports). Prints the report's size and
 * p50/p99/max per variant; the first call of each variant is a warm-up and not counted. The load
 * average is printed beside each table: on a shared machine it says what the figures are worth.
 */
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { Redis } from 'ioredis';

const args = process.argv.slice(2);
const arg = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? undefined : args[i + 1];
};
const DATABASE_URL = process.env.DATABASE_URL;
if (!DATABASE_URL) throw new Error('DATABASE_URL must name the seeded bench database (npm run bench:seed)');
/** 30 calls per variant: enough for a p99 that is the slowest call but one of a short series. */
const RUNS = Number(arg('runs') ?? 30);
const PORT = Number(arg('port') ?? 18_090);
/** 4 connections: two per core of this machine, enough to show queueing without measuring only the queue. */
const CONNECTIONS = Number(arg('connections') ?? 4);
const BASE = `http://127.0.0.1:${PORT}`;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const QUEUE_PREFIX = 'th-bench-report';

const api = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
  env: { ...process.env, DATABASE_URL, REDIS_URL, HUB_QUEUE_PREFIX: QUEUE_PREFIX, PORT: String(PORT), HOST: '127.0.0.1', HUB_DEMO: 'false', LOG_LEVEL: 'warn' },
  stdio: ['ignore', 'inherit', 'inherit'],
});
const exited = new Promise((resolve) => api.once('exit', resolve));

async function waitForHealth() {
  for (let i = 0; i < 1200; i++) {
    try {
      if ((await fetch(`${BASE}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the API did not answer /health within 120 s (a loaded machine starts slowly)');
}

const load = () => `load average ${loadavg().map((l) => l.toFixed(2)).join(', ')} on this machine`;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

async function time(path: string, accept: string) {
  const started = performance.now();
  const response = await fetch(BASE + path, { headers: { accept } });
  const body = await response.text();
  const ms = performance.now() - started;
  if (!response.ok) throw new Error(`${path}: ${response.status} ${body.slice(0, 300)}`);
  return { ms, bytes: Buffer.byteLength(body), body };
}

try {
  await waitForHealth();
  const variants = [
    { name: 'JSON, whole programme', path: '/v1/programmes/MPSC/report', accept: 'application/json' },
    { name: 'CSV, whole programme', path: '/v1/programmes/MPSC/report.csv', accept: 'text/csv' },
    { name: 'JSON, cohort 2020', path: '/v1/programmes/MPSC/report?cohort=2020', accept: 'application/json' },
  ];
  const first = JSON.parse((await time(variants[0]!.path, 'application/json')).body) as { totals: Record<string, unknown> };
  console.log('report totals:', JSON.stringify(first.totals));
  for (const connections of [1, CONNECTIONS]) {
    console.log(`\n${RUNS} calls per variant on ${connections} connection${connections > 1 ? 's' : ''}, API on ${BASE}, ${load()}\n`);
    console.log('variant                     size KB   p50 ms   p99 ms   max ms');
    for (const variant of variants) {
      await time(variant.path, variant.accept);
      const samples: number[] = [];
      let bytes = 0;
      let next = 0;
      const connection = async () => {
        while (next++ < RUNS) {
          const result = await time(variant.path, variant.accept);
          samples.push(result.ms);
          bytes = result.bytes;
        }
      };
      await Promise.all(Array.from({ length: connections }, connection));
      samples.sort((a, b) => a - b);
      console.log(
        `${variant.name.padEnd(26)} ${(bytes / 1024).toFixed(0).padStart(8)} ${percentile(samples, 50).toFixed(0).padStart(8)} ${percentile(samples, 99).toFixed(0).padStart(8)} ${samples.at(-1)!.toFixed(0).padStart(8)}`,
      );
    }
    console.log(`(${load()} after the table)`);
  }
} finally {
  api.kill('SIGTERM');
  await exited;
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  const keys = await redis.keys(`${QUEUE_PREFIX}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
}
