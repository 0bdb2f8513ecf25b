import { getTableColumns, getTableName, sql, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Executor } from '../client';

/**
 * Many rows of one table upserted with their values as one jsonb parameter
 * (jsonb_populate_recordset) instead of drizzle's multi-row VALUES, which binds one parameter per
 * value: a snapshot page of 1,000 software is 21,000 of them, and building that statement cost
 * ~5 s of the 33 s of worker CPU in a bootstrap of 10,000 software (CPU profile of
 * bench:federation: drizzle's sqlToQuery). JSON gives every column type we write here: text[],
 * jsonb, uuid, timestamps as ISO strings, and null as NULL. All rows have the same fields; columns
 * they do not name get their defaults.
 */
export async function upsertAsJson<T extends PgTable>(
  db: Executor,
  table: T,
  rows: Record<string, unknown>[],
  options: { target: string[]; set?: Record<string, SQL> },
): Promise<void> {
  if (rows.length === 0) return;
  const columns = getTableColumns(table) as Record<string, { name: string }>;
  const fields = Object.keys(rows[0]!);
  const name = (field: string) => {
    const column = columns[field];
    if (!column) throw new Error(`${getTableName(table)} has no field ${field}`);
    return column.name;
  };
  const json = rows.map((row) => Object.fromEntries(fields.map((field) => [name(field), row[field] ?? null])));
  const list = sql.raw(fields.map((field) => `"${name(field)}"`).join(', '));
  const target = options.target.map(name);
  const updates = [
    ...fields.filter((field) => !target.includes(name(field))).map((field) => sql.raw(`"${name(field)}" = excluded."${name(field)}"`)),
    ...Object.entries(options.set ?? {}).map(([field, value]) => sql`${sql.raw(`"${name(field)}"`)} = ${value}`),
  ];
  const relation = sql.raw(`public."${getTableName(table)}"`);
  await db.execute(sql`
    INSERT INTO ${relation} (${list})
    SELECT ${list} FROM jsonb_populate_recordset(NULL::${relation}, ${JSON.stringify(json)}::jsonb)
    ON CONFLICT (${sql.raw(target.map((column) => `"${column}"`).join(', '))}) DO UPDATE SET ${sql.join(updates, sql`, `)}`);
}
