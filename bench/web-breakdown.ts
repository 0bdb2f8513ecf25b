/**
 * Where a page's time goes, next to the API call answering the same question:
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/transferhub_bench_w npx tsx bench/web-breakdown.ts
 * One request at a time in process (app.inject, no network), after a warm-up: SQL statements per
 * request (pg's Client.query wrapped), and the time of each software-page section.
 * Sequential on purpose: it explains the cost of one request; bench/web.ts measures load.
 */
import { buildApp } from '../src/app';
import { loadConfig } from '../src/config';
import { createDeps } from '../src/deps';
import { createLogger } from '../src/lib/logger';
import { statementCounter } from './statement-counter';
import { SOFTWARE_SECTIONS } from '../src/web/views/software/sections';

const DATABASE_URL = process.env.DATABASE_URL;
if (!DATABASE_URL) throw new Error('DATABASE_URL must name the seeded bench database');
/** 30 rounds: enough for a stable median on a shared machine, a few seconds per kind. */
const ROUNDS = 30;


// Each section of the software page timed on its own (they run in parallel, so the slowest sets the page).
const sectionMs = new Map<string, number[]>();
for (const section of SOFTWARE_SECTIONS) {
  const render = section.render.bind(section);
  section.render = async (input) => {
    const started = performance.now();
    try {
      return await render(input);
    } finally {
      sectionMs.set(section.id, [...(sectionMs.get(section.id) ?? []), performance.now() - started]);
    }
  };
}

const config = loadConfig({ ...process.env, DATABASE_URL, REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', HUB_QUEUE_PREFIX: `th-bench-breakdown-${process.pid}`, HUB_DEMO: 'false', LOG_LEVEL: 'warn', HUB_RATE_LIMITS: 'false' });
const deps = await createDeps(config, { logger: createLogger('warn') });
const app = await buildApp(deps.hub);

async function measure(url: string, accept: string) {
  const rows: { ms: number; statements: number }[] = [];
  for (let i = 0; i < ROUNDS + 3; i++) {
    statementCounter.count = 0;
    const started = performance.now();
    const res = await app.inject({ method: 'GET', url, headers: { accept, 'accept-language': 'de' } });
    if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode}`);
    if (i >= 3) rows.push({ ms: performance.now() - started, statements: statementCounter.count });
  }
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  return { ms: median(rows.map((r) => r.ms)), statements: median(rows.map((r) => r.statements)) };
}

try {
  const first = (await app.inject({ url: '/v1/software?q=Karte&limit=1', headers: { accept: 'application/json' } })).json() as { items: { slug: string }[] };
  const slug = first.items[0]!.slug;
  console.log('what                                     median ms  statements');
  for (const [what, url, accept] of [
    ['API search q=Karte facets', '/v1/software?q=Karte&facets=true&limit=20', 'application/json'],
    ['page /search?q=Karte', '/search?q=Karte', 'text/html'],
    ['API software detail', `/v1/software/${slug}`, 'application/json'],
    ['page /software/{slug}', `/software/${slug}`, 'text/html'],
  ] as const) {
    const r = await measure(url, accept);
    console.log(`${what.padEnd(40)} ${r.ms.toFixed(1).padStart(9)} ${String(r.statements).padStart(11)}`);
  }
  console.log('\nsoftware page sections (median ms, run in parallel):');
  for (const [id, values] of sectionMs) console.log(`  ${id.padEnd(20)} ${values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!.toFixed(1).padStart(7)}`);
} finally {
  await app.close();
  await deps.close();
}
