/**
 * Web interface load benchmark on loopback:
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/transferhub_bench_u npm run bench:web [-- --duration 10]
 * (seed first: npm run bench:seed -- --software 100000). Starts the hub as a child process and
 * measures, at 10 connections with autocannon, the search results page and the software detail
 * page beside the API call that answers the same question (same query, facets, page size; the
 * same entry), and prints p50/p99 and the page's cost as a multiple of the API's (p50 and p99).
 * API and page take turns in short rounds (--rounds, default 5, of --duration / rounds seconds
 * each), so a change in the machine's load (other processes on a shared machine) falls on both
 * alike instead of on whichever ran second; the figures are the medians over the rounds.
 * The hub runs as configured by default (search answers cached per catalogue revision): the page
 * and the API read the same cache, so the difference is what rendering and the page's other
 * reads (releases, reuses, session lookup) add.
 */
import { spawn } from 'node:child_process';
import autocannon from 'autocannon';

const args = process.argv.slice(2);
const arg = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? undefined : args[i + 1];
};
const DATABASE_URL = process.env.DATABASE_URL;
if (!DATABASE_URL) throw new Error('DATABASE_URL must name the seeded bench database (npm run bench:seed)');
/** 10 s per kind and side: several thousand requests, enough for a stable p99. */
const DURATION = Number(arg('duration') ?? 10);
/** 5 rounds of 2 s: short enough that load changes between turns are small, long enough for a p99 per round. */
const ROUNDS = Number(arg('rounds') ?? 5);
/** The issue's load: 10 concurrent connections. */
const CONNECTIONS = 10;
const PORT = Number(arg('port') ?? 18_090);
const BASE = `http://127.0.0.1:${PORT}`;

/**
 * Server mode (Redis queue, no worker started): as in production, the measured process only
 * answers requests. Without REDIS_URL the hub runs the in-process job runner, whose crawl
 * scheduler starts crawling the 100,000 seeded repositories (hosts that do not resolve) during the
 * measurement; those crawls take CPU and their writes move the catalogue revision, which empties
 * the search answer cache, so both figures measured the crawler more than the pages.
 */
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const hub = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
  env: { ...process.env, DATABASE_URL, REDIS_URL, HUB_QUEUE_PREFIX: `th-bench-web-${process.pid}`, PORT: String(PORT), HOST: '127.0.0.1', HUB_DEMO: 'false', LOG_LEVEL: 'warn', HUB_RATE_LIMITS: 'false' },
  stdio: ['ignore', 'inherit', 'inherit'],
});
const exited = new Promise((resolve) => hub.once('exit', resolve));

async function waitForHealth() {
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`${BASE}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the hub did not answer /health within 60 s');
}

async function expectOk(path: string, accept: string) {
  const res = await fetch(BASE + path, { headers: { accept } });
  if (!res.ok) throw new Error(`${path}: ${res.status}`);
  return res;
}

async function run(paths: string[], accept: string, duration: number) {
  const result = await autocannon({
    url: BASE,
    connections: CONNECTIONS,
    duration,
    requests: paths.map((path) => ({ method: 'GET', path, headers: { accept, 'accept-language': 'de' } })),
  });
  return { p50: result.latency.p50, p99: result.latency.p99, rps: result.requests.average, errors: result.non2xx + result.errors + result.timeouts };
}

try {
  await waitForHealth();
  const queries = ['Karte', 'Bürgerbeteiligung', 'Sensor'];
  const first = (await (await expectOk(`/v1/software?q=${encodeURIComponent('Karte')}&limit=1`, 'application/json')).json()) as { items: { slug: string }[] };
  const slug = first.items[0]?.slug;
  if (!slug) throw new Error('the bench catalogue has no hit for "Karte": seed it first');
  const pairs = [
    {
      kind: 'search results',
      api: queries.map((q) => `/v1/software?q=${encodeURIComponent(q)}&facets=true&limit=20`),
      page: queries.map((q) => `/search?q=${encodeURIComponent(q)}`),
    },
    { kind: 'software detail', api: [`/v1/software/${slug}`], page: [`/software/${slug}`] },
  ];
  console.log(`\n${CONNECTIONS} connections, ${DURATION} s per kind and side in ${ROUNDS} alternating rounds, hub on ${BASE}\n`);
  console.log('kind              what   p50 ms  p99 ms    req/s  errors  page/API p50  p99');
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  for (const pair of pairs) {
    for (const path of pair.api) await expectOk(path, 'application/json');
    for (const path of pair.page) await expectOk(path, 'text/html');
    await run(pair.api, 'application/json', 2); // warm-up: plans, caches, JIT
    await run(pair.page, 'text/html', 2);
    const rounds: { api: Awaited<ReturnType<typeof run>>; page: Awaited<ReturnType<typeof run>> }[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // Who goes first alternates too: neither side always follows the other's warm caches.
      const seconds = DURATION / ROUNDS;
      if (round % 2 === 0) {
        const api = await run(pair.api, 'application/json', seconds);
        rounds.push({ api, page: await run(pair.page, 'text/html', seconds) });
      } else {
        const page = await run(pair.page, 'text/html', seconds);
        rounds.push({ api: await run(pair.api, 'application/json', seconds), page });
      }
    }
    const side = (which: 'api' | 'page') => ({
      p50: median(rounds.map((r) => r[which].p50)),
      p99: median(rounds.map((r) => r[which].p99)),
      rps: median(rounds.map((r) => r[which].rps)),
      errors: rounds.reduce((sum, r) => sum + r[which].errors, 0),
    });
    const api = side('api');
    const page = side('page');
    for (const [what, row] of [['API', api], ['page', page]] as const) {
      const ratio = what === 'page' ? `${(page.p50 / Math.max(api.p50, 1)).toFixed(2)}×`.padStart(12) + `${(page.p99 / Math.max(api.p99, 1)).toFixed(2)}×`.padStart(7) : '';
      console.log(`${pair.kind.padEnd(17)} ${what.padEnd(5)} ${String(row.p50).padStart(7)} ${String(row.p99).padStart(7)} ${row.rps.toFixed(0).padStart(8)} ${String(row.errors).padStart(7)}  ${ratio}`);
    }
    console.log(`${''.padEnd(17)} rounds (API/page p50): ${rounds.map((r) => `${r.api.p50}/${r.page.p50}`).join('  ')}`);
  }
} finally {
  hub.kill('SIGTERM');
  await exited;
}
