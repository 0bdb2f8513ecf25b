/**
 * What provenance and the origin filter cost on a seeded catalogue (issue 15):
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/<copy of transferhub_bench_base> npx tsx bench/provenance.ts
 * The copy should hold some mirrored records (federation_record rows with an origin hub), e.g. 1 %:
 *   INSERT INTO federation_record (type, record_id, global_id, origin_hub, origin_version, origin_updated_at,
 *     received_from, received_at, content_digest, entry)
 *   SELECT 'software', id, 'https://hub-by.example/id/software/' || id, 'https://hub-by.example', 1, now(),
 *     'https://hub-by.example', now(), 'x', '{}' FROM software WHERE abs(hashtext(id::text)) % 100 = 0;
 * Calls the domain functions the API calls, without the search answer cache (every call computes),
 * one at a time after a warm-up, and prints the median per question and the statements it ran.
 */
import { loadConfig } from '../src/config';
import { createDeps } from '../src/deps';
import { listOrganisationsPage } from '../src/domain/catalogue/organisations.service';
import { listSoftwarePage, type ListSoftwareQuery } from '../src/domain/catalogue/software.service';
import { createLogger } from '../src/lib/logger';
import { statementCounter } from './statement-counter';

const DATABASE_URL = process.env.DATABASE_URL;
if (!DATABASE_URL) throw new Error('DATABASE_URL must name a copy of the seeded bench database');
const HUB = process.env.BENCH_ORIGIN_HUB ?? 'https://hub-by.example';
/** 30 rounds: a stable median on a shared machine within a few seconds per question. */
const ROUNDS = 30;


const config = loadConfig({ DATABASE_URL, HUB_DEMO: 'false', LOG_LEVEL: 'warn', HUB_RATE_LIMITS: 'false' });
const deps = await createDeps(config, { logger: createLogger('warn') });
const hub = { db: deps.hub.db, searchCache: null };

async function median(run: () => Promise<{ items: unknown[] }>) {
  const times: number[] = [];
  let counted = 0;
  let items = 0;
  for (let i = 0; i < ROUNDS + 3; i++) {
    statementCounter.count = 0;
    const started = performance.now();
    items = (await run()).items.length;
    if (i >= 3) times.push(performance.now() - started);
    counted = statementCounter.count;
  }
  times.sort((x, y) => x - y);
  return { ms: Number(times[Math.floor(times.length / 2)]!.toFixed(2)), statements: counted, items };
}

const software = (extra: Partial<ListSoftwareQuery>) => () => listSoftwarePage(hub, { limit: 20, ...extra });
const organisations = (extra: { q?: string; origin?: string }) => () => listOrganisationsPage(deps.hub.db, { limit: 20, ...extra });

const questions: [string, () => Promise<{ items: unknown[] }>][] = [];
for (const [label, base] of [
  ['software list', {}],
  ['software list, sort newest', { sort: 'newest' as const }],
  ['software list, facets', { facets: true }],
  ['search q=Karte', { q: 'Karte' }],
  ['search q=Bürger Portal', { q: 'Bürger Portal' }],
] as const) {
  questions.push([label, software(base)], [`${label}, origin=local`, software({ ...base, origin: 'local' })], [`${label}, origin=<hub>`, software({ ...base, origin: HUB })]);
}
questions.push(['organisation list', organisations({})], ['organisation list, origin=local', organisations({ origin: 'local' })], ['organisation list, origin=<hub>', organisations({ origin: HUB })]);

try {
  console.log(['question', 'median ms', 'statements', 'items'].join('\t'));
  for (const [label, run] of questions) {
    const { ms, statements: n, items } = await median(run);
    console.log([label, ms, n, items].join('\t'));
  }
} finally {
  await deps.close();
}
