/**
 * `npm run bench:crawl -- --kind pathological [--files 1500]`: the pathological repository
 * (test/helpers/pathological-repo.ts: 1,500 nearly identical 1 MB files stored as deltas) crawled by
 * the real entry points, each in a process of its own:
 *  - embedded: `src/server.ts` on PGlite; /health is asked every 50 ms during the crawl;
 *  - server mode: `src/server.ts` and `workers/main.ts` on PostgreSQL and Redis (a queue prefix and
 *    database of this run's own).
 * Prints each process's resident memory before the crawl and at its peak (VmHWM), the crawl's
 * outcome and duration, and the /health latencies.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Redis } from 'ioredis';
import { openPostgres } from '../src/db/client';
import { databaseUrl, withAdmin } from '../test/helpers/database';
import { git } from '../test/helpers/git-server';
import { buildPathologicalRepo } from '../test/helpers/pathological-repo';

const ADMIN = 'bench-admin-token-0123456789';
const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

/** VmRSS (now) and VmHWM (peak since start) of a process, in bytes. */
function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
  return { rss: field('VmRSS'), peak: field('VmHWM') };
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function start(entry: string, env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', entry], {
    env: { ...process.env, HUB_ADMIN_TOKEN: ADMIN, HUB_DEMO: 'false', HUB_ALLOW_PRIVATE_HOSTS: 'true', LOG_LEVEL: 'warn', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

async function waitForHealth(base: string, child: ChildProcess) {
  for (let i = 0; i < 3000; i++) {
    if (child.exitCode !== null) throw new Error(`the hub exited early with ${child.exitCode}`);
    try {
      if ((await fetch(`${base}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the hub did not start');
}

async function api(base: string, path: string, payload?: unknown) {
  const response = await fetch(`${base}${path}`, {
    method: payload ? 'POST' : 'GET',
    headers: { authorization: `Bearer ${ADMIN}`, ...(payload ? { 'content-type': 'application/json' } : {}) },
    body: payload ? JSON.stringify(payload) : undefined,
  });
  return (await response.json()) as Record<string, unknown>;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN;
};

/** Registers the repository, waits for the crawl's end while asking /health every 50 ms. */
async function crawlAndWatch(base: string, repositoryUrl: string, crawler: ChildProcess) {
  const org = await api(base, '/v1/organisations', { name: `Benchstadt ${randomBytes(3).toString('hex')}`, kind: 'municipality' });
  // "5" resets the peak (VmHWM) to the current resident size: the peak is then the crawl's own.
  writeFileSync(`/proc/${crawler.pid!}/clear_refs`, '5');
  const before = memoryOf(crawler.pid!);
  const started = performance.now();
  const repo = await api(base, '/v1/repositories', { url: repositoryUrl, organisationId: org.id });
  const latencies: number[] = [];
  const slow: string[] = [];
  let state = 'queued';
  let lastError: unknown = null;
  let peakRss = before.rss;
  while (performance.now() - started < 600_000) {
    const t = performance.now();
    await fetch(`${base}/health`).then((r) => r.arrayBuffer());
    latencies.push(performance.now() - t);
    if (performance.now() - t > 500) slow.push(`${((t - started) / 1000).toFixed(1)} s: ${(performance.now() - t).toFixed(0)} ms`);
    peakRss = Math.max(peakRss, memoryOf(crawler.pid!).rss);
    if (latencies.length % 10 === 0) {
      const view = await api(base, `/v1/repositories/${repo.id as string}`);
      const crawl = view.crawl as { state: string; lastError: unknown };
      state = crawl.state;
      lastError = crawl.lastError;
      if (['succeeded', 'failed', 'unchanged'].includes(state)) break;
    }
    if (crawler.exitCode !== null) {
      state = `process exited (${crawler.exitCode ?? crawler.signalCode})`;
      break;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const seconds = (performance.now() - started) / 1000;
  const after = crawler.exitCode === null ? memoryOf(crawler.pid!) : { rss: 0, peak: peakRss };
  return { before, peak: Math.max(after.peak, peakRss), seconds, state, lastError, latencies, slow };
}

function report(label: string, result: Awaited<ReturnType<typeof crawlAndWatch>>, withHealth: boolean) {
  const { before, peak, seconds, state, lastError, latencies, slow } = result;
  console.log(`${label}: crawl ${state} after ${seconds.toFixed(1)} s${lastError ? ` (${String(lastError)})` : ''}`);
  console.log(`  resident memory: ${mib(before.rss)} before the crawl, peak ${mib(peak)} (+${mib(peak - before.rss)})`);
  if (withHealth) {
    console.log(
      `  /health during the crawl: ${latencies.length} requests, p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms, max ${Math.max(...latencies).toFixed(1)} ms`,
    );
    if (slow.length) console.log(`  answers slower than 500 ms (time into the crawl: latency): ${slow.join(', ')}`);
  }
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  return exited.finally(() => clearTimeout(timer));
}

/** The repository on a host with partial-clone filters and on one without (the crawler's fallback). */
type Repositories = { filters: string; noFilters: string };

async function benchEmbedded(repositories: Repositories, dataDir: string, children: ChildProcess[]) {
  const port = await freePort();
  const embedded = start('src/server.ts', { HUB_DATA_DIR: dataDir, PORT: String(port), DATABASE_URL: '', REDIS_URL: '' });
  children.push(embedded);
  const base = `http://127.0.0.1:${port}`;
  await waitForHealth(base, embedded);
  report('embedded (npm start, PGlite), host with filters', await crawlAndWatch(base, repositories.filters, embedded), true);
  report('embedded (npm start, PGlite), host without filters', await crawlAndWatch(base, repositories.noFilters, embedded), true);
  await stop(embedded);
}

async function benchServerMode(repositories: Repositories, env: Record<string, string>, children: ChildProcess[]) {
  const port = await freePort();
  const apiProcess = start('src/server.ts', { ...env, PORT: String(port) });
  const worker = start('workers/main.ts', env);
  children.push(apiProcess, worker);
  const base = `http://127.0.0.1:${port}`;
  await waitForHealth(base, apiProcess);
  // The worker has no port to ask; 8 s is well past its start on a busy machine.
  await new Promise((r) => setTimeout(r, 8000));
  report('server mode worker (npm run worker), host with filters', await crawlAndWatch(base, repositories.filters, worker), false);
  report('server mode worker (npm run worker), host without filters', await crawlAndWatch(base, repositories.noFilters, worker), false);
}

export async function benchPathological(options: { files: number; modes: string[] }) {
  const work = await mkdtemp(join(tmpdir(), 'transferhub-patho-'));
  const server = spawn(process.execPath, ['--import', 'tsx', 'bench/crawl-git-server.ts'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const first = await new Promise<string>((resolve) => createInterface({ input: server.stdout! }).once('line', resolve));
  const { url, root } = JSON.parse(first) as { url: string; root: string };
  const children: ChildProcess[] = [];
  const dbName = `transferhub_bench_${randomBytes(4).toString('hex')}`;
  const prefix = `th-bench-${randomBytes(4).toString('hex')}`;
  try {
    console.log(`building the pathological repository: ${options.files} nearly identical files of 1 MB …`);
    const { inflatedBytes } = await buildPathologicalRepo(join(root, 'stadt/viele-daten.git'), { files: options.files });
    await cp(join(root, 'stadt/viele-daten.git'), join(root, 'stadt/ohne-filter.git'), { recursive: true });
    await git(join(root, 'stadt/ohne-filter.git'), ['config', 'uploadpack.allowFilter', 'false']);
    console.log(`  inflated ${mib(inflatedBytes)}; the pack on disk is a few hundred KiB`);
    const repositories = { filters: `${url}/stadt/viele-daten`, noFilters: `${url}/stadt/ohne-filter` };
    if (options.modes.includes('embedded')) await benchEmbedded(repositories, join(work, 'data'), children);
    if (options.modes.includes('server')) {
      await withAdmin((c) => c.query(`CREATE DATABASE ${dbName}`));
      const migrate = await openPostgres(databaseUrl(dbName), { max: 1 });
      await migrate.migrate();
      await migrate.close();
      await benchServerMode(repositories, { DATABASE_URL: databaseUrl(dbName), REDIS_URL, HUB_QUEUE_PREFIX: prefix }, children);
    }
  } finally {
    await Promise.all(children.map(stop));
    await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`)).catch(() => {});
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    const keys = await redis.keys(`${prefix}:*`).catch(() => []);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    server.stdin!.end();
    await rm(work, { recursive: true, force: true });
  }
}
