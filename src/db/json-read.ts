import { Column, fillPlaceholders, getTableColumns, is, Param, SQL, sql, Table, type SQLWrapper } from 'drizzle-orm';
import { PgDialect, QueryBuilder } from 'drizzle-orm/pg-core';
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import pg from 'pg';
import type { Executor } from './client';

/**
 * Reads that travel together. A page showing several short lists (a software entry's reuses,
 * reports, transfer package, needs and releases) would send one statement per list, and for such
 * lists a statement's fixed cost (the driver's work, a socket write, a round trip) is most of what
 * it costs. A JsonRead is one list (or one figure) computed in SQL as a single JSON value;
 * readTogether runs several as one SELECT with a column each, and each column comes back as the
 * same objects a drizzle select of the same selection gives (Date for timestamps, arrays, jsonb).
 *
 * Reads are built once, as module constants with placeholders (`sql.placeholder('softwareId')`),
 * and the SQL text of a combination is kept: building drizzle SQL costs more CPU than running
 * such a statement, so a page that rebuilt it on every view would gain little from sending one.
 */
export type JsonRead<T> = { json: SQL; map(value: unknown): T };

/** A drizzle selection: tables, columns, SQL expressions and nested objects of them. */
export type Selection = { [key: string]: Table | Column | SQL | SQL.Aliased | Selection };

/** Builds statements without a database handle (the reads are plain SQL until they run). */
export const queryBuilder = new QueryBuilder();

const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The selection as one json_build_object per row; a table becomes its row (to_json), mapped back by column. */
export function selectionJson(selection: Selection): SQL {
  const pairs = Object.entries(selection).map(([key, value]) => {
    if (!KEY.test(key)) throw new Error(`selection key ${key} is not an identifier`);
    return sql`${sql.raw(`'${key}'`)}, ${valueJson(value)}`;
  });
  return sql`json_build_object(${sql.join(pairs, sql`, `)})`;
}

function valueJson(value: Selection[string]): SQL {
  if (is(value, Table)) return sql`to_json(${value})`;
  if (is(value, Column)) return sql`${value}`;
  if (is(value, SQL)) return value;
  if (is(value, SQL.Aliased)) return value.sql;
  return selectionJson(value as Selection);
}

/**
 * The function turning one row of selectionJson back into what drizzle would have returned,
 * made once per selection: a page maps every row of its lists, and telling tables, columns and
 * expressions apart (drizzle's is()) on every field of every row cost more than the reading.
 */
export function selectionMapper<T>(selection: Selection): (json: unknown) => T {
  const fields = Object.entries(selection).map(([key, value]) => [key, valueMapper(value)] as const);
  return (json) => {
    const object = json as Record<string, unknown>;
    const result: Record<string, unknown> = {};
    for (const [key, map] of fields) result[key] = map(object[key]);
    return result as T;
  };
}

function valueMapper(selected: Selection[string]): (value: unknown) => unknown {
  if (is(selected, Table)) return rowMapper(selected);
  if (is(selected, Column)) return (value) => (value === null || value === undefined ? null : selected.mapFromDriverValue(value));
  // An SQL expression comes back as JSON has it (numbers, booleans, text, objects); a mapWith on it is not applied.
  if (is(selected, SQL) || is(selected, SQL.Aliased)) return (value) => (value === undefined ? null : value);
  const nested = selectionMapper<Record<string, unknown>>(selected as Selection);
  // A nested object of a left-joined table that had no row: all its fields are null, and drizzle gives null.
  return (value) => {
    const object = nested(value);
    return Object.values(object).every((field) => field === null) ? null : object;
  };
}

/** A table's row from to_json (keys are the database's column names). */
function rowMapper(table: Table): (json: unknown) => Record<string, unknown> {
  const columns = Object.entries(getTableColumns(table)).map(([key, column]) => [key, column.name, column] as const);
  return (json) => {
    const object = json as Record<string, unknown>;
    const row: Record<string, unknown> = {};
    for (const [key, name, column] of columns) {
      const value = object[name];
      row[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
    }
    return row;
  };
}

/**
 * The rows of a statement as one JSON array, in the statement's order. `rows` selects `item`
 * (selectionJson of the selection) and `ord` (row_number() over the wanted order); json_agg is
 * ordered by ord, so the order does not depend on how the planner feeds the aggregate.
 */
export function listRead<T>(selection: Selection, rows: SQLWrapper): JsonRead<T[]> {
  const map = selectionMapper<T>(selection);
  return {
    json: sql`(SELECT coalesce(json_agg(q.item ORDER BY q.ord), '[]'::json) FROM (${rows}) q)`,
    map: (value) => (value as unknown[]).map(map),
  };
}

/** The two columns listRead expects, for a select: the row as JSON and its place in the order. */
export function jsonItem(selection: Selection, ...order: SQLWrapper[]) {
  return { item: selectionJson(selection).as('item'), ord: sql<number>`row_number() OVER (ORDER BY ${sql.join(order, sql`, `)})`.as('ord') };
}

/** A read mapped further (rows to the domain's views), still one column of readTogether. */
export function mapRead<T, U>(read: JsonRead<T>, map: (value: T) => U): JsonRead<U> {
  return { json: read.json, map: (value) => map(read.map(value)) };
}

/** Several reads as one (a JSON object with a key each): a service's answer made of several lists. */
export function readsAsOne<R extends Record<string, JsonRead<unknown>>>(reads: R): JsonRead<{ [K in keyof R]: R[K] extends JsonRead<infer T> ? T : never }> {
  const names = Object.keys(reads);
  for (const name of names) if (!KEY.test(name)) throw new Error(`read name ${name} is not an identifier`);
  return {
    json: sql`json_build_object(${sql.join(names.map((name) => sql`${sql.raw(`'${name}'`)}, ${reads[name]!.json}`), sql`, `)})`,
    map: (value) => Object.fromEntries(names.map((name) => [name, reads[name]!.map((value as Record<string, unknown>)[name])])) as never,
  };
}

/** The one placeholder of reads about one software entry. */
export const softwareIdParam = sql.placeholder('softwareId');

/**
 * A statement's text and its parameters (values or placeholders); the text also cut at the
 * parameters ($1, $2, …) for drivers that take only drizzle SQL; the name of its prepared form.
 */
type Statement = { text: string; name: string; parts: string[]; params: unknown[] };

const dialect = new PgDialect();
const readIds = new WeakMap<JsonRead<unknown>, number>();
let nextReadId = 0;
/** By the reads' identities: a page has a handful of combinations; the bound keeps reads made per call from growing it. */
const statements = new LRUCache<string, Statement>({ max: 200 });

function readId(read: JsonRead<unknown>): number {
  let id = readIds.get(read);
  if (id === undefined) readIds.set(read, (id = nextReadId++));
  return id;
}

/** The statement's text once, as parts between its parameters; drizzle numbers them $1…$n in order. */
function statementOf(key: string, build: () => SQL): Statement {
  let statement = statements.get(key);
  if (statement === undefined) {
    const query = dialect.sqlToQuery(build());
    const numbers = [...query.sql.matchAll(/\$(\d+)/g)].map((match) => Number(match[1]));
    // Anything but $1…$n once each and in order (a "$1" inside a literal, say) could not be cut safely.
    if (numbers.length !== query.params.length || numbers.some((n, i) => n !== i + 1)) throw new Error(`a read's SQL has "$" outside its parameters: ${query.sql.slice(0, 200)}`);
    const name = `th_read_${createHash('sha256').update(query.sql).digest('hex').slice(0, 24)}`;
    statement = { text: query.sql, name, parts: query.sql.split(/\$\d+/), params: query.params };
    statements.set(key, statement);
  }
  return statement;
}

/** Several reads in one statement: one column each, mapped back by their own map; params fill the reads' placeholders. */
export async function readTogether<R extends Record<string, JsonRead<unknown>>>(
  db: Executor,
  reads: R,
  params: Record<string, unknown> = {},
): Promise<{ [K in keyof R]: R[K] extends JsonRead<infer T> ? T : never }> {
  const names = Object.keys(reads);
  const result: Record<string, unknown> = {};
  for (const name of names) if (!KEY.test(name)) throw new Error(`read name ${name} is not an identifier`);
  if (names.length === 0) return result as never;
  const build = () => sql`SELECT ${sql.join(names.map((name, i) => sql`${reads[name]!.json} AS ${sql.raw(`r${i}`)}`), sql`, `)}`;
  const statement = statementOf(names.map((name) => `${name}=${readId(reads[name]!)}`).join(','), build);
  const values = fillPlaceholders(statement.params, params);
  const { rows } = await run(db, statement, values);
  names.forEach((name, i) => {
    const value = rows[0]![`r${i}`];
    // node-postgres parses json; PGlite may hand it over as text.
    result[name] = reads[name]!.map(typeof value === 'string' ? JSON.parse(value) : value);
  });
  return result as never;
}

/**
 * On a PostgreSQL pool the statement runs prepared, by name: each connection parses it once and,
 * after five runs, keeps a generic plan. Planning the statement of the software page's reads
 * anew took 6 ms of PostgreSQL's time per view (7 ms a run unprepared, 0.8 ms prepared, measured
 * at 100,000 entries), far more than running it. PGlite and transactions take it as drizzle SQL.
 */
async function run(db: Executor, statement: Statement, values: unknown[]): Promise<{ rows: Record<string, unknown>[] }> {
  const pool = (db as { $client?: unknown }).$client;
  if (pool instanceof pg.Pool) return pool.query({ name: statement.name, text: statement.text, values });
  // Param, not a plain interpolation: an array value stays one parameter instead of a list.
  const query = sql.join(statement.parts.flatMap((part, i) => (i < values.length ? [sql.raw(part), new Param(values[i])] : [sql.raw(part)])));
  return (await db.execute(query)) as unknown as { rows: Record<string, unknown>[] };
}

/** One read alone: the same statement the page sends with the others, for the API's single list. */
export async function readOne<T>(db: Executor, read: JsonRead<T>, params: Record<string, unknown> = {}): Promise<T> {
  return (await readTogether(db, { read }, params)).read;
}

/** What a read gives when it has run. */
export type ReadResult<R extends JsonRead<unknown>> = R extends JsonRead<infer T> ? T : never;
