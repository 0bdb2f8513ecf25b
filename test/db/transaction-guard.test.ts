import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite, openPostgres, type Database } from '../../src/db/client';
import { findOrganisation, insertOrganisation } from '../../src/db/queries/organisations.queries';
import { organisations } from '../../src/db/schema/index';
import { createTestDatabase } from '../helpers/database';

const message = 'outer database handle used inside a transaction; pass the transaction handle';

/**
 * PGlite has one connection: a query on the outer handle inside a transaction waits for the
 * transaction, which waits for it. The guard turns that freeze into an error on both drivers,
 * so the PostgreSQL tests catch it too.
 */
describe.each(['postgres', 'pglite'] as const)('a query on the outer handle inside a transaction (%s)', (kind) => {
  let database: Database;
  let drop = async () => {};
  beforeAll(async () => {
    if (kind === 'pglite') {
      database = await openPglite(null);
      await database.migrate();
    } else {
      const created = await createTestDatabase();
      drop = created.drop;
      database = await openPostgres(created.url, { max: 2 });
    }
  }, 120_000);
  afterAll(async () => {
    await database?.close();
    await drop();
  });

  it('throws a clear error instead of waiting forever, and rolls the transaction back', async () => {
    const { db } = database;
    const attempt = db.transaction(async (tx) => {
      await insertOrganisation(tx, { slug: 'guard-stadt', name: 'Guard-Stadt', kind: 'municipality' });
      return findOrganisation(db, { slug: 'guard-stadt' });
    });
    await expect(attempt).rejects.toThrow(message);
    expect(await findOrganisation(db, { slug: 'guard-stadt' })).toBeFalsy();
  });

  it('catches every way of querying: builders, relational queries, raw SQL, counts and nested transactions', async () => {
    const { db } = database;
    const ways: [string, () => Promise<unknown>][] = [
      ['select', () => db.select().from(organisations)],
      ['relational', () => db.query.organisations.findFirst()],
      ['execute', () => db.execute(sql`select 1`)],
      ['count', () => db.$count(organisations)],
      ['transaction', () => db.transaction(async (inner) => inner.execute(sql`select 1`))],
    ];
    for (const [way, query] of ways) {
      await expect(db.transaction(async () => query()), way).rejects.toThrow(message);
    }
  });

  it('leaves the transaction handle, savepoints and the outer handle after the transaction alone', async () => {
    const { db } = database;
    const later: Promise<unknown>[] = [];
    const count = await db.transaction(async (tx) => {
      await insertOrganisation(tx, { slug: 'tx-stadt', name: 'Tx-Stadt', kind: 'municipality' });
      await tx.transaction(async (savepoint) => savepoint.execute(sql`select 1`));
      // Work started inside that runs after the commit may use the outer handle.
      later.push(new Promise((resolve) => setTimeout(resolve, 50)).then(() => findOrganisation(db, { slug: 'tx-stadt' })));
      return tx.$count(organisations);
    });
    expect(count).toBeGreaterThan(0);
    expect(await Promise.all(later)).toEqual([expect.objectContaining({ slug: 'tx-stadt' })]);
    await expect(Promise.all([db.execute(sql`select 1`), db.transaction(async (tx) => tx.execute(sql`select 1`))])).resolves.toHaveLength(2);
  });
});
