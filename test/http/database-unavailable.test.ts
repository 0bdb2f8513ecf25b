import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createDeps, type Deps } from '../../src/deps';
import { admin, ADMIN_TOKEN } from '../helpers/hub';
import { freePort } from '../helpers/postgres-cluster';

/**
 * The API started against a PostgreSQL address nobody listens on (a database that is away):
 * every request that needs it is a 503 problem+json with Retry-After, never a 500.
 */
describe('database away', () => {
  let deps: Deps;
  let app: Awaited<ReturnType<typeof buildApp>>;

  beforeAll(async () => {
    const config = loadConfig({
      DATABASE_URL: `postgres://postgres@127.0.0.1:${await freePort()}/transferhub`,
      HUB_ADMIN_TOKEN: ADMIN_TOKEN,
      HUB_DEMO: 'false',
      LOG_LEVEL: 'silent',
    });
    deps = await createDeps(config, { logger: pino({ level: 'silent' }) });
    app = await buildApp(deps.hub);
  });

  afterAll(async () => {
    await app?.close();
    await deps?.close();
  });

  it.each([
    ['a read of a list', 'GET', '/v1/organisations'],
    ['a read of one entry', 'GET', '/v1/software/mein-projekt'],
    ['a search', 'GET', '/v1/software?q=ratsinformation'],
    ['a suggestion', 'GET', '/v1/search/suggest?q=rats'],
    ['a write', 'POST', '/v1/organisations'],
  ] as const)('%s answers 503 with Retry-After and the database.unavailable problem', async (_what, method, url) => {
    const response = await app.inject({
      method,
      url,
      headers: admin,
      ...(method === 'POST' ? { payload: { name: 'Nirgendwo', kind: 'municipality' } } : {}),
    });
    expect(response.statusCode).toBe(503);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.headers['retry-after']).toBe('5');
    expect(response.json()).toMatchObject({ type: 'https://transferhub.eu/problems/database.unavailable', status: 503 });
  });

  it('readiness says the database is unavailable while liveness stays ok', async () => {
    expect((await app.inject('/health')).statusCode).toBe(200);
    const ready = await app.inject('/ready');
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toMatchObject({ database: 'unavailable' });
  });
});
