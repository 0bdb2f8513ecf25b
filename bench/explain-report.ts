/**
 * Where the time of the programme report goes:
 *   DATABASE_URL=postgres://…/transferhub_bench npx tsx bench/explain-report.ts [--programme MPSC] [--cohort 2020]
 * Prints EXPLAIN (ANALYZE, BUFFERS) of the report's statement, then the wall time of each phase
 * as the API runs them: the statement with its rows, the service (statement and shaping into
 * organisations, licence verdicts, totals), and the CSV rendering and JSON serialisation.
 */
import { sql, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { openPostgres, type Executor } from '../src/db/client';
import { allowReportMemory, programmeReportRows, type ReportFilter } from '../src/db/queries/programme-report.queries';
import { programmeReportCsv } from '../src/domain/programmes/programme-report.csv';
import { programmeReport } from '../src/domain/programmes/programme-report.service';

const DATABASE_URL = process.env.DATABASE_URL;
if (!DATABASE_URL) throw new Error('DATABASE_URL must name the seeded bench database');
const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? undefined : args[i + 1];
};
const filter: ReportFilter = { programme: option('programme') ?? 'MPSC', ...(option('cohort') ? { cohort: Number(option('cohort')) } : {}) };

// The statement as the query module builds it, captured instead of run.
let captured: SQL | undefined;
const capture = { execute: async (query: SQL) => ((captured = query), { rows: [] }) } as unknown as Executor;
await programmeReportRows(capture, filter);
const statement = new PgDialect().sqlToQuery(captured ?? sql``);

const client = new pg.Client(DATABASE_URL);
await client.connect();
await client.query('BEGIN');
await client.query("SET LOCAL work_mem = '64MB'");
await client.query('SET LOCAL jit = off');
const { rows: plan } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${statement.sql}`, statement.params);
await client.query('COMMIT');
await client.end();
console.log(plan.map((r) => r['QUERY PLAN']).join('\n'), '\n');

const database = await openPostgres(DATABASE_URL, { max: 1 });
const ms = (started: number) => `${(performance.now() - started).toFixed(0)} ms`;
for (let run = 1; run <= 3; run++) {
  let started = performance.now();
  const rows = await database.db.transaction(async (tx) => {
    await allowReportMemory(tx);
    return programmeReportRows(tx, filter);
  });
  const statementTime = ms(started);
  started = performance.now();
  const report = await programmeReport(database.db, filter);
  const serviceTime = ms(started);
  started = performance.now();
  const csv = programmeReportCsv(report);
  const csvTime = ms(started);
  started = performance.now();
  const json = JSON.stringify(report);
  const jsonTime = ms(started);
  console.log(
    `run ${run}: statement ${statementTime} (${rows.length} rows); service ${serviceTime}; CSV ${csvTime} (${(csv.length / 1024).toFixed(0)} KB); JSON.stringify ${jsonTime} (${(json.length / 1024).toFixed(0)} KB)`,
  );
}
await database.close();
