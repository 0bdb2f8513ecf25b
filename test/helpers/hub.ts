import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import type { DestinationStream } from 'pino';
import { inject } from 'vitest';
import { buildApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { openPglite, type Database } from '../../src/db/client';
import { createDeps, type Deps } from '../../src/deps';
import { createLogger } from '../../src/lib/logger';
import { createTestDatabase } from './database';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';

export type TestHub = {
  app: FastifyInstance;
  deps: Deps;
  close(): Promise<void>;
};

/** The PGlite project of vitest.config.ts sets this: test hubs run on embedded PGlite instead of PostgreSQL. */
export const onPglite = process.env.TRANSFERHUB_TEST_DB === 'pglite';

/** An in-memory PGlite started from the run's migrated template (test/helpers/global-setup.ts). */
async function openTestPglite(): Promise<Database> {
  const template = inject('pgliteTemplate');
  if (!template) {
    const database = await openPglite(null);
    await database.migrate();
    return database;
  }
  return openPglite(null, { loadDataDir: new Blob([readFileSync(template)]) });
}

/**
 * The real app on a database of its own, with the in-process job runner unless the test
 * passes a REDIS_URL. Nothing of ours is replaced. The database is a clone of the migrated
 * PostgreSQL template (server mode), or in the PGlite project an in-memory PGlite (embedded
 * mode, which most users meet first). `log` receives the log lines (at LOG_LEVEL, silent unless set).
 */
export async function createTestHub(env: Record<string, string> = {}, options: { log?: DestinationStream } = {}): Promise<TestHub> {
  // A test that names its own PostgreSQL or Redis wants server mode on either project.
  const embedded = onPglite && !env.DATABASE_URL && !env.REDIS_URL ? await openTestPglite() : null;
  const database = embedded ? { url: '', drop: async () => {} } : await createTestDatabase();
  const config = loadConfig({
    DATABASE_URL: database.url,
    HUB_ADMIN_TOKEN: ADMIN_TOKEN,
    HUB_DEMO: 'false',
    HUB_ALLOW_PRIVATE_HOSTS: 'true',
    LOG_LEVEL: 'silent',
    // The suite sends thousands of requests from one address; test/http/rate-limits.test.ts turns them on.
    HUB_RATE_LIMITS: 'false',
    ...env,
  });
  // The production logger (redaction included), writing to the test's buffer when it reads the logs.
  const logger = createLogger(config.logLevel, options.log);
  const deps = await createDeps(config, { logger, database: embedded ?? undefined });
  const app = await buildApp(deps.hub);
  return {
    app,
    deps,
    close: async () => {
      await app.close();
      await deps.close();
      await database.drop();
      if (config.redisUrl) await dropQueueKeys(config.redisUrl, config.queuePrefix);
    },
  };
}

/** A test's BullMQ keys (its own prefix), so runs leave nothing behind in the shared Redis. */
async function dropQueueKeys(redisUrl: string, prefix: string) {
  if (!prefix.startsWith('th-test-')) return;
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

export const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

let counter = 0;

/** An organisation with a token of the given scopes, created through the API as a user would. */
export async function organisationWithToken(app: FastifyInstance, scopes: string[], name?: string) {
  counter += 1;
  const org = await app.inject({
    method: 'POST',
    url: '/v1/organisations',
    headers: admin,
    payload: { name: name ?? `Teststadt ${counter} ${Math.random().toString(36).slice(2, 7)}`, kind: 'municipality' },
  });
  if (org.statusCode !== 201) throw new Error(`creating an organisation failed: ${org.body}`);
  const organisation = org.json() as { id: string; slug: string; name: string };
  const token = await app.inject({
    method: 'POST',
    url: `/v1/organisations/${organisation.id}/tokens`,
    headers: admin,
    payload: { scopes, label: 'test' },
  });
  if (token.statusCode !== 201) throw new Error(`creating a token failed: ${token.body}`);
  return { organisation, token: (token.json() as { token: string }).token };
}
