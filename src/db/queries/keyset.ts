import { sql, type SQL } from 'drizzle-orm';
import type { SortedAfter } from '../../lib/cursor';

/**
 * One order a list offers: an SQL expression, its direction, the SQL type its cursor key is
 * cast back to, and whether it can be null (nulls come last). A unique tiebreaker (the slug)
 * always follows in ascending order, so pages never overlap or skip a row.
 */
export type SortSpec = { expr: SQL; direction: 'asc' | 'desc'; type: 'text' | 'integer' | 'timestamptz'; nullable: boolean };

/** The sort key as text for the cursor: a timestamp keeps its microseconds, which a JS Date would drop. */
export function sortKeySql(spec: SortSpec): SQL<string | null> {
  return sql<string | null>`(${spec.expr})::text`;
}

export function orderBySql(spec: SortSpec, tiebreak: SQL): SQL {
  return sql`${spec.expr} ${sql.raw(spec.direction === 'asc' ? 'ASC' : 'DESC')} NULLS LAST, ${tiebreak} ASC`;
}

/** Rows after the cursor's row in orderBySql's order. */
export function afterSql(spec: SortSpec, tiebreak: SQL, after: SortedAfter): SQL {
  if (after.key === null) return sql`(${spec.expr} IS NULL AND ${tiebreak} > ${after.tiebreak})`;
  const key = sql`CAST(${after.key} AS ${sql.raw(spec.type)})`;
  const beyond = sql`${spec.expr} ${sql.raw(spec.direction === 'asc' ? '>' : '<')} ${key}`;
  const tied = sql`(${spec.expr} = ${key} AND ${tiebreak} > ${after.tiebreak})`;
  return spec.nullable ? sql`(${beyond} OR ${tied} OR ${spec.expr} IS NULL)` : sql`(${beyond} OR ${tied})`;
}
