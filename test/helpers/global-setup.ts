import { openPostgres } from '../../src/db/client';
import { databaseUrl, TEMPLATE_DB, withAdmin } from './database';

/**
 * Once per test run: a template database with every migration applied. Each test file
 * clones it (CREATE DATABASE … TEMPLATE), which takes milliseconds instead of migrating again.
 * Leftover databases of an interrupted earlier run are dropped here too.
 */
export default async function setup(): Promise<void> {
  await withAdmin(async (client) => {
    const { rows } = await client.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE datname LIKE 'transferhub_test_%'",
    );
    for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${TEMPLATE_DB}`);
  });
  const database = await openPostgres(databaseUrl(TEMPLATE_DB), { max: 1 });
  try {
    await database.migrate();
  } finally {
    await database.close();
  }
}
