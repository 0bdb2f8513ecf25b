/**
 * Where the time of the programme report goes:
 *   DATABASE_URL=postgres://…/transferhub_bench npx tsx bench/explain-report.ts [--programme MPSC] [--cohort 2020] [--runs 5]
 * Prints EXPLAIN (ANALYZE, BUFFERS) of the report's two statements, then per run the wall time of
 * each phase as the API runs them: the statements with their rows, the service (statements and
 * shaping into organisations, licence verdicts, totals), the CSV and the JSON rendering (the
 * chunks the API streams). Beside the wall times, the CPU time of this process and, when the database runs
 * on this machine, of its PostgreSQL backend (/proc/<pid>/stat): on a loaded machine wall times
 * mostly measure the other processes, CPU times what a call costs.
 */
import { readFileSync } from 'node:fs';
import { sql, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { openPostgres, type Executor } from '../src/db/client';
import { allowReportMemory, programmeOrganisations, programmeSoftwareLines, type ReportFilter } from '../src/db/queries/programme-report.queries';
import { programmeReportCsv } from '../src/domain/programmes/programme-report.csv';
import { programmeReportJson } from '../src/domain/programmes/programme-report.json-text';
import { programmeReport } from '../src/domain/programmes/programme-report.service';

const DATABASE_URL = process.env.DATABASE_URL;
if (!DATABASE_URL) throw new Error('DATABASE_URL must name the seeded bench database');
const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? undefined : args[i + 1];
};
const filter: ReportFilter = { programme: option('programme') ?? 'MPSC', ...(option('cohort') ? { cohort: Number(option('cohort')) } : {}) };
const RUNS = Number(option('runs') ?? 5);

// The statements as the query module builds them, captured instead of run.
const captured: SQL[] = [];
const capture = { execute: async (query: SQL) => (captured.push(query), { rows: [] }) } as unknown as Executor;
await programmeOrganisations(capture, filter);
await programmeSoftwareLines(capture, filter);

const client = new pg.Client(DATABASE_URL);
await client.connect();
for (const query of captured) {
  const statement = new PgDialect().sqlToQuery(query);
  await client.query('BEGIN');
  await client.query("SET LOCAL work_mem = '64MB'");
  await client.query('SET LOCAL jit = off');
  const { rows: plan } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${statement.sql}`, statement.params);
  await client.query('COMMIT');
  console.log(plan.map((r) => r['QUERY PLAN']).join('\n'), '\n');
}
await client.end();

const database = await openPostgres(DATABASE_URL, { max: 1 });
// The pool's one connection: its backend's CPU time is the statements' cost in PostgreSQL.
const { rows: backend } = (await database.db.execute(sql`SELECT pg_backend_pid() AS pid`)) as unknown as { rows: { pid: number }[] };
/** utime + stime of the backend in ms (clock ticks of 10 ms), or null when it is not on this machine. */
function backendCpu(): number | null {
  try {
    const fields = readFileSync(`/proc/${backend[0]!.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}
function measure<T>(work: () => Promise<T> | T) {
  return async () => {
    const cpu = process.cpuUsage();
    const pgCpu = backendCpu();
    const started = performance.now();
    const value = await work();
    const wall = performance.now() - started;
    const used = process.cpuUsage(cpu);
    const pgUsed = pgCpu === null ? null : backendCpu()! - pgCpu;
    return { value, text: `${wall.toFixed(0)} ms (node CPU ${((used.user + used.system) / 1000).toFixed(0)}${pgUsed === null ? '' : `, PostgreSQL CPU ${pgUsed}`})` };
  };
}

for (let run = 1; run <= RUNS; run++) {
  const statements = await measure(() =>
    database.db.transaction(async (tx) => {
      await allowReportMemory(tx);
      return [await programmeOrganisations(tx, filter), await programmeSoftwareLines(tx, filter)] as const;
    }, { isolationLevel: 'repeatable read', accessMode: 'read only' }),
  )();
  const service = await measure(() => programmeReport(database.db, filter))();
  // The chunks the API streams, each encoded as the socket write does (joined into one string,
  // they would cost more than the rendering).
  const bytes = (chunks: Iterable<string>) => {
    let n = 0;
    for (const chunk of chunks) n += Buffer.from(chunk).length;
    return n;
  };
  const csv = await measure(() => bytes(programmeReportCsv(service.value)))();
  const json = await measure(() => bytes(programmeReportJson(service.value)))();
  console.log(
    `run ${run}: statements ${statements.text}, ${statements.value[0].length} + ${statements.value[1].length} rows; service ${service.text}; ` +
      `CSV ${csv.text}, ${(csv.value / 1024).toFixed(0)} KB; JSON ${json.text}, ${(json.value / 1024).toFixed(0)} KB`,
  );
}
await database.close();
