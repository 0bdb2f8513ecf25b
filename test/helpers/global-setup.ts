import { randomBytes } from 'node:crypto';
import { openPostgres } from '../../src/db/client';
import { databaseUrl, runPrefix, templateName, withAdmin } from './database';

/**
 * Once per test run: a template database with every migration applied. Each test file
 * clones it (CREATE DATABASE … TEMPLATE), which takes milliseconds instead of migrating again.
 * The teardown drops every database of this run.
 */
export default async function setup(): Promise<() => Promise<void>> {
  process.env.TRANSFERHUB_TEST_RUN = randomBytes(4).toString('hex');
  await withAdmin((client) => client.query(`CREATE DATABASE ${templateName()}`));
  const database = await openPostgres(databaseUrl(templateName()), { max: 1 });
  try {
    await database.migrate();
  } finally {
    await database.close();
  }
  return async () => {
    await withAdmin(async (client) => {
      const { rows } = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [
        `${runPrefix()}_%`,
      ]);
      for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    });
  };
}
