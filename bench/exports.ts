/**
 * Export benchmark on loopback (server mode), after `npm run bench:seed`:
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/transferhub_bench npm run bench:exports
 * For each export it starts the API as a child process (a fresh heap, so one export's garbage does
 * not count against the next), waits until it is idle, downloads the export once and prints the
 * time to the first byte, the total time, the size and the API's resident memory: idle and the
 * peak while the export ran (sampled from /proc every 20 ms). The seed has no repository rows, so
 * the first run registers one per entry (git.example.org URLs, never fetched: no crawl is queued).
 * Peak RSS includes garbage V8 has not collected yet; `--heap 96` shows the export also runs with a
 * heap far smaller than its output.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import pg from 'pg';

const args = process.argv.slice(2);
const arg = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? undefined : args[i + 1];
};
const DATABASE_URL = process.env.DATABASE_URL;
if (!DATABASE_URL) throw new Error('DATABASE_URL must name the seeded bench database (npm run bench:seed)');
if (/test_template/.test(DATABASE_URL)) throw new Error('refusing to use the test template');
const PORT = Number(arg('port') ?? 18_090);
/** `--heap 96`: caps the API's V8 heap (MB); an export that held the whole catalogue in memory would fail under it. */
const HEAP = arg('heap');
const BASE = `http://127.0.0.1:${PORT}`;

const EXPORTS = [
  { name: 'catalog.ttl (whole)', path: '/v1/catalog.ttl' },
  { name: 'catalog.jsonld (whole)', path: '/v1/catalog.jsonld' },
  { name: 'repositories.json', path: '/v1/export/repositories.json' },
  { name: 'catalog.ttl page 50 (limit 1000)', path: '/v1/catalog.ttl?limit=1000&page=50' },
  { name: 'software.atom page 1', path: '/v1/feeds/software.atom' },
  { name: 'releases.atom page 1', path: '/v1/feeds/releases.atom' },
].filter((e) => !arg('only') || e.name.startsWith(arg('only')!));

async function ensureRepositories() {
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 1 });
  try {
    const { rows: [counts] } = await pool.query<{ software: string; repositories: string }>(
      'SELECT (SELECT count(*) FROM software) AS software, (SELECT count(*) FROM repository) AS repositories',
    );
    console.log(`catalogue: ${counts!.software} software entries, ${counts!.repositories} repositories`);
    if (Number(counts!.repositories) > 0) return;
    await pool.query(
      `INSERT INTO repository (url, organisation_id, software_id, host_kind, crawl_state)
       SELECT 'https://git.example.org/bench/' || slug, organisation_id, id, 'git', 'succeeded' FROM software`,
    );
    await pool.query(`UPDATE software SET repository_url = 'https://git.example.org/bench/' || slug WHERE repository_url IS NULL`);
    console.log('registered one repository per entry');
  } finally {
    await pool.end();
  }
}

function startApi() {
  const api = spawn(process.execPath, [...(HEAP ? [`--max-old-space-size=${HEAP}`] : []), '--import', 'tsx', 'src/server.ts'], {
    env: { ...process.env, DATABASE_URL, PORT: String(PORT), HOST: '127.0.0.1', HUB_DEMO: 'false', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const state = { rss: 0, peak: 0 };
  const sampler = setInterval(() => {
    try {
      const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${api.pid}/status`, 'utf8'));
      if (match) {
        state.rss = Number(match[1]) * 1024;
        state.peak = Math.max(state.peak, state.rss);
      }
    } catch {
      // the process is starting or gone
    }
  }, 20);
  const exited = new Promise((resolve) => api.once('exit', resolve));
  return {
    state,
    async stop() {
      clearInterval(sampler);
      api.kill('SIGTERM');
      await exited;
    },
  };
}

async function waitForHealth() {
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${BASE}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the API did not answer /health within 30 s');
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

async function measure(path: string) {
  const api = startApi();
  try {
    await waitForHealth();
    // Let start-up garbage settle, then take the idle figure as the baseline.
    await new Promise((r) => setTimeout(r, 1500));
    const idle = api.state.rss;
    api.state.peak = idle;
    const started = performance.now();
    const response = await fetch(BASE + path);
    if (!response.ok || !response.body) throw new Error(`${path}: ${response.status}`);
    let firstByte = 0;
    let bytes = 0;
    // A reader loop: with the browser tests' DOM types in the program, the stream is not async-iterable to tsc.
    const reader = response.body.getReader();
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      if (bytes === 0) firstByte = performance.now() - started;
      bytes += next.value.byteLength;
    }
    const total = performance.now() - started;
    await new Promise((r) => setTimeout(r, 100));
    return { firstByte, total, bytes, idle, peak: api.state.peak };
  } finally {
    await api.stop();
  }
}

await ensureRepositories();
console.log('export | first byte | total | size | API RSS idle → peak');
for (const { name, path } of EXPORTS) {
  const r = await measure(path);
  console.log(`${name} | ${r.firstByte.toFixed(0)} ms | ${(r.total / 1000).toFixed(2)} s | ${mb(r.bytes)} | ${mb(r.idle)} → ${mb(r.peak)} (+${mb(r.peak - r.idle)})`);
}
