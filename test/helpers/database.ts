import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The server the tests use; CI and the developer machines run PostgreSQL here with trust auth. */
export const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * Each test run names its databases with its own run id (set by global-setup.ts and
 * inherited by the test workers), so two runs on one server never touch each other's.
 */
export function runPrefix(): string {
  const runId = process.env.TRANSFERHUB_TEST_RUN;
  if (!runId) throw new Error('TRANSFERHUB_TEST_RUN is unset: run the tests through vitest (test/helpers/global-setup.ts)');
  return `transferhub_test_${runId}`;
}

export const templateName = () => `${runPrefix()}_template`;

export function databaseUrl(name: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A fresh database cloned from the migrated template: isolated per test file, fast (a file copy). */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${runPrefix()}_${randomBytes(5).toString('hex')}`;
  await withAdmin((c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${templateName()}`));
  return {
    url: databaseUrl(name),
    drop: () => withAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}
