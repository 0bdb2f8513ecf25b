import { loadConfigOrExit } from '../config';
import { openPglite, openPostgres } from '../db/client';

/** `npm run migrate`: applies the SQL migrations in migrations/ (server mode runs this before the API starts). */
const config = loadConfigOrExit();
const database = config.databaseUrl ? await openPostgres(config.databaseUrl, { max: 1 }) : await openPglite(config.dataDir);
try {
  await database.migrate();
  console.log(`migrations applied (${database.kind})`);
} finally {
  await database.close();
}
