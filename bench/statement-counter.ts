import pg from 'pg';

/**
 * Counts the SQL statements node-postgres sends (Client.query wrapped), for benches that explain a
 * request's cost: read `count`, set it to 0 before the request.
 */
export const statementCounter = { count: 0 };
const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  statementCounter.count++;
  return query.apply(this, args);
} as typeof pg.Client.prototype.query;
