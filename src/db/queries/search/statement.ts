import { createHash } from 'node:crypto';
import pg from 'pg';
import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../client';

/**
 * The statement runner of the search queries. Two things drizzle's db.execute does not offer:
 * a statement name (so node-postgres prepares a statement once per connection and PostgreSQL
 * keeps its plan) and values written into the text as literals (see `literal`). Both are here and
 * nowhere else in the search module.
 */

/** The drizzle internals db.execute uses, reached for the one thing it does not offer: a statement name. */
type Session = {
  dialect: { sqlToQuery(query: SQL): { sql: string; params: unknown[] } };
  session: {
    prepareQuery(query: { sql: string; params: unknown[] }, fields: undefined, name: string | undefined, arrayMode: boolean): {
      execute(): Promise<unknown>;
    };
  };
};

/**
 * Statements that carry query words (tsqueries, compound patterns, page size, and in the ranked
 * statement the facet filter values) as literals: with them as parameters the generic plan
 * PostgreSQL switches to after five calls estimates every word at 0.5 % of rows and bitmap-scans a
 * word found in 16 % of short descriptions (229 ms measured for "Sensor" + two filters, against
 * 4 ms planning + 4 ms execution per call). As literals the cached plan is the one planned for
 * these words. Bounded: a cached ranked statement (source, query tree, plan) takes about 0.2 MB in
 * a backend, so 64 of them are ~13 MB per connection, ~130 MB for the pool of 10; the most
 * frequent queries of a catalogue are a short list, the long tail is planned per call.
 */
const WORD_STATEMENTS = 64;

/** bench/explain-search.ts listens here to EXPLAIN what a search ran; nothing else sets it. */
export const statementObserver: { observe?: (statement: { sql: string; params: unknown[] }) => void } = {};

export type StatementRunner = <T>(db: Executor, query: SQL, options?: { words?: boolean }) => Promise<T[]>;

/**
 * Runs a search statement as a named prepared statement, named after its text: node-postgres
 * prepares it once per connection and PostgreSQL keeps its plan (a generic one once five custom
 * plans cost no less, see plan_cache_mode), instead of parsing and planning ~2–8 ms per request.
 * Statements without words are a bounded set of texts (per tier set, word count, filter
 * combination) with all values as parameters; statements with words (`words: true`) are named
 * only for the first WORD_STATEMENTS distinct texts of this process. PGlite ignores the name.
 */
function createRunner(): StatementRunner {
  const wordStatements = new Set<string>();
  return async <T>(db: Executor, query: SQL, options: { words?: boolean } = {}) => {
    const { dialect, session } = db as unknown as Session;
    const built = dialect.sqlToQuery(query);
    statementObserver.observe?.(built);
    let name: string | undefined = `th_search_${createHash('sha1').update(built.sql).digest('hex').slice(0, 24)}`;
    if (options.words && !wordStatements.has(name)) {
      if (wordStatements.size >= WORD_STATEMENTS) name = undefined;
      else wordStatements.add(name);
    }
    const result = (await session.prepareQuery(built, undefined, name, false).execute()) as { rows: T[] };
    return result.rows;
  };
}

export const rows: StatementRunner = createRunner();

/**
 * A string literal, quoted by the driver's escapeLiteral (standard-conforming strings, and E''
 * with doubled backslashes when the value has one). For tsqueries and LIKE patterns built by the
 * search service from analysed words; typed text goes in as parameters.
 */
export function literal(value: string): SQL {
  if (value.includes('\0')) throw new Error('NUL in a search literal');
  return sql.raw(pg.escapeLiteral(value));
}

export const int = (value: number): SQL => sql.raw(String(Math.trunc(value)));

export type ArrayType = 'text' | 'boolean' | 'int' | 'uuid';

/** An array as one parameter (drizzle would expand a JS array into a list): one text per shape. */
export function param(values: readonly unknown[], type: ArrayType): SQL {
  return sql`${sql.param(values)}::${sql.raw(type)}[]`;
}

/** The same array as a literal, for statements that carry their values in the text (see WORD_STATEMENTS). */
export function arrayLiteral(values: readonly (string | number | boolean)[], type: ArrayType): SQL {
  const items = values.map((v) => (type === 'int' ? int(Number(v)) : type === 'boolean' ? sql.raw(v === true ? 'true' : 'false') : literal(String(v))));
  return sql`ARRAY[${sql.join(items, sql`, `)}]::${sql.raw(type)}[]`;
}

export const or = (parts: SQL[]) => (parts.length === 1 ? parts[0]! : sql`(${sql.join(parts, sql` OR `)})`);
export const and = (parts: SQL[]) => (parts.length === 1 ? parts[0]! : sql`(${sql.join(parts, sql` AND `)})`);
