import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseUrl, runPrefix, withAdmin } from '../helpers/database';
import { createTestHub, type TestHub } from '../helpers/hub';
import { queryDatabase } from './fixtures';

describe('readiness and the database schema', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await createTestHub();
  });
  afterAll(async () => hub.close());

  it('a database without the newest migration is not ready, and is again once it has it', async () => {
    const [newest] = await queryDatabase<{ id: number; hash: string; created_at: string }>(
      hub,
      'delete from drizzle.__drizzle_migrations where created_at = (select max(created_at) from drizzle.__drizzle_migrations) returning id, hash, created_at',
    );
    try {
      const ready = await hub.app.inject('/ready');
      expect(ready.statusCode).toBe(503);
      expect(ready.json()).toEqual({ status: 'unavailable', database: 'outdated', queue: 'ok' });
    } finally {
      await queryDatabase(hub, 'insert into drizzle.__drizzle_migrations (id, hash, created_at) values ($1, $2, $3)', [newest!.id, newest!.hash, newest!.created_at]);
    }
    expect((await hub.app.inject('/ready')).statusCode).toBe(200);
  });

  it('a database that was never migrated is not ready, while the process is alive', async () => {
    const name = `${runPrefix()}_empty_${randomBytes(4).toString('hex')}`;
    await withAdmin((client) => client.query(`CREATE DATABASE ${name}`));
    const empty = await createTestHub({ DATABASE_URL: databaseUrl(name) });
    try {
      expect((await empty.app.inject('/health')).statusCode).toBe(200);
      const ready = await empty.app.inject('/ready');
      expect(ready.statusCode).toBe(503);
      expect(ready.json()).toEqual({ status: 'unavailable', database: 'outdated', queue: 'ok' });
    } finally {
      await empty.close();
    }
  });
});
