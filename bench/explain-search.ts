/**
 * Where the time of one search goes:
 *   DATABASE_URL=postgres://…/transferhub_bench npx tsx bench/explain-search.ts "Daten" [--facets] [--state Bayern] …
 * Runs the search as the API would (answer cache off) and prints EXPLAIN (ANALYZE, BUFFERS) of every
 * statement it ran, with each statement's wall time.
 */
import pg from 'pg';
import { openPostgres } from '../src/db/client';
import { statementObserver } from '../src/db/queries/search/statement';
import { searchSoftwarePage } from '../src/domain/search/search.service';

const DATABASE_URL = process.env.DATABASE_URL;
if (!DATABASE_URL) throw new Error('DATABASE_URL must name the seeded bench database');
const [q, ...rest] = process.argv.slice(2);
const option = (name: string) => {
  const i = rest.indexOf(`--${name}`);
  return i === -1 ? undefined : rest[i + 1];
};
const database = await openPostgres(DATABASE_URL, { max: 1 });
const statements: { sql: string; params: unknown[] }[] = [];
const input = {
  q,
  limit: 20,
  facets: rest.includes('--facets'),
  ...(option('state') ? { state: [option('state')!] } : {}),
  ...(option('category') ? { category: [option('category')!] } : {}),
  ...(option('licence') ? { licence: [option('licence')!] } : {}),
};
await searchSoftwarePage({ db: database.db }, input); // warm: plans and buffers
statementObserver.observe = (s) => statements.push(s);
const started = performance.now();
const page = await searchSoftwarePage({ db: database.db }, input);
console.log(`search "${q}": ${(performance.now() - started).toFixed(1)} ms, ${page.items.length} items, mode ${page.query?.mode}, ${statements.length} statements\n`);
statementObserver.observe = undefined;
await database.close();
const client = new pg.Client(DATABASE_URL);
await client.connect();
for (const s of statements) {
  const { rows } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${s.sql}`, s.params);
  console.log(s.sql.replace(/\s+/g, ' ').slice(0, 300), '\n');
  console.log(rows.map((r) => r['QUERY PLAN']).join('\n'), '\n');
}
await client.end();
