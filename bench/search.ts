/**
 * Search load benchmark on loopback:
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/transferhub_bench npm run bench:search [-- --duration 10]
 * Starts the API as a child process (server mode, in-process jobs, rate limits off: one client sends it all), runs a fixed query mix with
 * autocannon at 10 connections, one kind after the other, plus /health as the ceiling of the
 * HTTP stack on this machine, and prints p50/p99/req/s per kind, the fraction of the /health
 * throughput and the API's peak resident memory (sampled from /proc every 50 ms: until the index is loaded, per kind, and over the run).
 * Three passes: the API as configured by default (answers cached per catalogue revision, so the
 * fixed mix is served from the cache after its first request); with HUB_SEARCH_CACHE_MB=0, where
 * every request is computed by the in-process search index: the cost of a query nobody asked
 * before; and `database`, the same without the index (HUB_SEARCH_INDEX=false), every search
 * answered by PostgreSQL's statements. Each pass waits until the API's index is loaded
 * (GET /metrics) before it measures. `--pass cached|uncached|database` runs one of them.
 * The API runs as the production image runs it: compiled (`npm run build` into
 * node_modules/.cache/transferhub-bench, so a checkout's own dist/ is left alone), `node …/server.js`.
 * `--server source` runs `npm start`'s way instead (tsx, which holds about 100 MB more).
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { BROAD_WORDS, longTailPaths } from './search-queries';

const args = process.argv.slice(2);
const arg = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? undefined : args[i + 1];
};
const DATABASE_URL = process.env.DATABASE_URL;
if (!DATABASE_URL) throw new Error('DATABASE_URL must name the seeded bench database (npm run bench:seed)');
/** 10 s per kind: several thousand requests, enough for a stable p99. */
const DURATION = Number(arg('duration') ?? 10);
/** The issue's load for repeated (popular) queries: 10 concurrent connections. */
const CONNECTIONS = 10;
/** The long tail and broad facets: 2 connections, one per core of this machine (issue 13). */
const TAIL_CONNECTIONS = 2;
/** Distinct long-tail queries: none is sent twice, so neither the answer cache nor PostgreSQL's
 * buffers of an earlier identical query help. ~1000 is a few hundred per shape (words, typo, prefix, filters). */
const LONG_TAIL = Number(arg('long-tail') ?? 1000);
/** `--kinds long,broad` runs only kinds whose name contains one of these. */
const ONLY = arg('kinds')?.split(',');
const PORT = Number(arg('port') ?? 18_080);
const BASE = `http://127.0.0.1:${PORT}`;

const PASSES = [
  { pass: 'cached', env: {} as Record<string, string> },
  { pass: 'uncached', env: { HUB_SEARCH_CACHE_MB: '0' } },
  { pass: 'database', env: { HUB_SEARCH_CACHE_MB: '0', HUB_SEARCH_INDEX: 'false' } },
].filter((p) => !arg('pass') || p.pass === arg('pass'));

// A catalogue seeded before the newest migration: the index would fail to load its columns and
// every search would go to the database. Nothing to do when it is current.
const migrated = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/migrate.ts'], { env: { ...process.env, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'ignore', 'inherit'] });
if (migrated.status !== 0) throw new Error('npm run migrate failed on the bench database');

const SERVER = arg('server') ?? 'compiled';
if (SERVER !== 'compiled' && SERVER !== 'source') throw new Error('--server is compiled or source');
const COMPILED_DIR = 'node_modules/.cache/transferhub-bench';
if (SERVER === 'compiled') {
  const built = spawnSync('npm', ['run', 'build', '--', COMPILED_DIR], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (built.status !== 0) throw new Error('npm run build failed');
}
/** `--heap-mb N`: V8's old-generation limit for the API (--max-old-space-size), 0 for Node's default. */
const HEAP_MB = Number(arg('heap-mb') ?? 0);
const SERVER_ARGS = [
  ...(HEAP_MB > 0 ? [`--max-old-space-size=${HEAP_MB}`] : []),
  ...(SERVER === 'compiled' ? [`${COMPILED_DIR}/src/server.js`] : ['--import', 'tsx', 'src/server.ts']),
];

/** The API as a child process, with its peak resident memory sampled from /proc. */
function startApi(extraEnv: Record<string, string>) {
  const api = spawn(process.execPath, SERVER_ARGS, {
    env: { ...process.env, DATABASE_URL, PORT: String(PORT), HOST: '127.0.0.1', HUB_DEMO: 'false', HUB_RATE_LIMITS: 'false', HUB_METRICS: 'public', LOG_LEVEL: 'error', ...extraEnv },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  // peakRss: over the whole run; windowRss: since the last window() (one kind's run, or the load)
  const state = { peakRss: 0, windowRss: 0 };
  const sampler = setInterval(() => {
    try {
      const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${api.pid}/status`, 'utf8'));
      if (match) {
        state.peakRss = Math.max(state.peakRss, Number(match[1]) * 1024);
        state.windowRss = Math.max(state.windowRss, Number(match[1]) * 1024);
      }
    } catch {
      // the process is starting or gone
    }
  }, 50);
  const exited = new Promise((resolve) => api.once('exit', resolve));
  return {
    get peakRss() {
      return state.peakRss;
    },
    /** The peak since the last call, in MB; starts the next window. */
    window() {
      const mb = Math.round(state.windowRss / 1024 / 1024);
      state.windowRss = 0;
      return mb;
    },
    async stop() {
      clearInterval(sampler);
      api.kill('SIGTERM');
      await exited;
    },
  };
}

async function waitForHealth() {
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`${BASE}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the API did not answer /health within 60 s (a loaded machine starts tsx slowly)');
}

/** The first search starts the index's load; wait until it is done (the database answers meanwhile). */
async function waitForIndex(pass: string) {
  if (pass === 'database') return;
  await get('/v1/software?q=Daten');
  const started = Date.now();
  for (;;) {
    const metrics = await (await fetch(`${BASE}/metrics`)).text();
    if (/^search_index_loads_total [1-9]/m.test(metrics)) break;
    if (Date.now() - started > 300_000) throw new Error('the search index did not load within 5 minutes');
    await new Promise((r) => setTimeout(r, 500));
  }
  console.log(`${pass}: search index loaded after ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

async function get(path: string) {
  const res = await fetch(BASE + path);
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<{ items: unknown[]; nextCursor: string | null }>;
}

/** The cursor of page 5 (four pages of 20 walked first), as a user paging would hold it. */
async function page5(q: string) {
  let cursor: string | null = null;
  for (let i = 0; i < 4; i++) {
    const page: { nextCursor: string | null } = await get(`/v1/software?q=${encodeURIComponent(q)}&limit=20${cursor ? `&cursor=${cursor}` : ''}`);
    cursor = page.nextCursor;
    if (!cursor) throw new Error(`"${q}" has fewer than five pages`);
  }
  return `/v1/software?q=${encodeURIComponent(q)}&limit=20&cursor=${cursor}`;
}

/** distinct: every path sent once, in order, shared by all connections (instead of each connection cycling the list). */
type Kind = { kind: string; paths: string[]; connections?: number; distinct?: boolean };

async function run(kind: Kind, duration: number, paths = kind.paths) {
  let next = 0;
  const result = await autocannon({
    url: BASE,
    connections: kind.connections ?? CONNECTIONS,
    ...(kind.distinct
      ? {
          duration: 3600,
          amount: paths.length,
          requests: [{ method: 'GET', setupRequest: (req: { path: string }) => ({ ...req, path: paths[next++ % paths.length]! }) }],
        }
      : { duration, requests: paths.map((path) => ({ method: 'GET', path })) }),
  });
  return {
    p50: result.latency.p50,
    p99: result.latency.p99,
    rps: result.requests.average,
    errors: result.non2xx + result.errors + result.timeouts,
    total: result.requests.total,
  };
}

async function measure(pass: string, api: ReturnType<typeof startApi>) {
  await waitForHealth();
  await waitForIndex(pass);
  console.log(`${pass}: API peak RSS until the index was loaded: ${api.window()} MB`);
  const q = (s: string, extra = '') => `/v1/software?q=${encodeURIComponent(s)}${extra}`;
  const kinds: Kind[] = [
    { kind: 'health', paths: ['/health'] },
    { kind: 'common word', paths: [q('Daten'), q('App'), q('Portal')] },
    { kind: 'rare word', paths: [q('Friedhofsverwaltung'), q('Jugendbeteiligung'), q('Seniorenhilfe')] },
    { kind: 'misspelling', paths: [q('Mängelmeldr'), q('buergerbeteilgung'), q('Luftqualitat Sensr')] },
    { kind: 'prefix', paths: [q('Parkr'), q('Mängelm'), q('Energiemon')] },
    { kind: 'facet filter only', paths: ['/v1/software?state=Bayern&category=mobilitaet', '/v1/software?organisationKind=county&licence=EUPL-1.2', '/v1/software?cohort=2020&productionReuse=true'] },
    { kind: 'query + 2 filters', paths: [q('Sensor', '&state=Bayern&licence=EUPL-1.2'), q('Karte', '&category=mobilitaet&organisationKind=municipality'), q('Bürgerbeteiligung', '&cohort=2019&status=stable')] },
    { kind: 'page 5 (cursor)', paths: [await page5('Karte'), await page5('Wärmeplanung'), await page5('Dashboard')] },
    { kind: 'query + facets', paths: [q('Sensor', '&facets=true'), q('Mängelmelder', '&facets=true'), q('Karte', '&facets=true')] },
    { kind: 'suggest', paths: ['/v1/search/suggest?q=park', '/v1/search/suggest?q=m%C3%A4ng', '/v1/search/suggest?q=b%C3%BCrgerb', '/v1/search/suggest?q=ener'] },
    { kind: 'broad facets', paths: BROAD_WORDS.map((w) => q(w, '&facets=true')), connections: TAIL_CONNECTIONS },
    { kind: 'long tail', paths: longTailPaths(LONG_TAIL), connections: TAIL_CONNECTIONS, distinct: true },
  ].filter((k) => k.kind === 'health' || !ONLY || ONLY.some((o) => k.kind.includes(o)));
  // every path answers 200 (the long tail is checked by its run: its errors are counted)
  for (const kind of kinds) if (!kind.distinct) for (const path of kind.paths) await get(path);
  const rows: (Awaited<ReturnType<typeof run>> & { kind: string; rssMb: number })[] = [];
  api.window();
  for (const kind of kinds) {
    // warm-up: plans, buffers, JIT of the API; the long tail warms up on queries of another seed
    await run(kind, 2, kind.distinct ? longTailPaths(100, 0xbeef).filter((p) => !kind.paths.includes(p)) : kind.paths);
    rows.push({ kind: kind.kind, ...(await run(kind, DURATION)), rssMb: api.window() });
  }
  const health = rows[0]!.rps;
  console.log(`\n${pass}: ${CONNECTIONS} connections (broad facets and long tail: ${TAIL_CONNECTIONS}), ${DURATION} s per kind (long tail: ${LONG_TAIL} distinct queries once), API on ${BASE}\n`);
  console.log('kind                 p50 ms  p99 ms    req/s  of /health  errors  peak RSS MB');
  for (const row of rows) {
    console.log(
      `${row.kind.padEnd(20)} ${String(row.p50).padStart(6)}  ${String(row.p99).padStart(6)}  ${row.rps.toFixed(0).padStart(7)}  ${((row.rps / health) * 100).toFixed(1).padStart(9)} %  ${String(row.errors).padStart(6)}  ${String(row.rssMb).padStart(11)}`,
    );
  }
  const metrics = await (await fetch(`${BASE}/metrics`)).text();
  const answered = (engine: string) => new RegExp(`^search_index_searches_total\\{engine="${engine}"\\} (\\d+)`, 'm').exec(metrics)?.[1];
  if (pass !== 'database') console.log(`searches answered by the index: ${answered('index') ?? 0}, by the database: ${answered('database') ?? 0}`);
}

for (const { pass, env } of PASSES) {
  const api = startApi(env);
  try {
    await measure(pass, api);
  } finally {
    await api.stop();
  }
  console.log(`\nAPI peak RSS (${pass}, ${SERVER}${HEAP_MB > 0 ? `, old space ≤ ${HEAP_MB} MB` : ''}): ${(api.peakRss / 1024 / 1024).toFixed(0)} MB`);
}
