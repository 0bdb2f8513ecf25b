import { sql, type AnyColumn, type SQL } from 'drizzle-orm';

/**
 * `column = ANY($1::type[])`: the values as one array parameter. drizzle's inArray writes one
 * parameter per value; for a federation page of 1,000 ids that statement was built in JavaScript
 * and planned by PostgreSQL with 1,000 parameters, several times a page (4 % of B's worker CPU in
 * a 100,000-entry bootstrap went to building them alone).
 */
export function anyOf(column: AnyColumn, values: readonly string[], type: 'uuid' | 'text'): SQL {
  return sql`${column} = ANY(${sql.param(values)}::${sql.raw(type)}[])`;
}
