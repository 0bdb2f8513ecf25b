import { loadConfigOrExit } from '../config';
import { openPglite, openPostgres } from '../db/client';
import { switchChangeLog } from '../domain/federation/change-log';

/** `npm run migrate`: applies the SQL migrations in migrations/ (server mode runs this before the API starts). */
const config = loadConfigOrExit();
const database = config.databaseUrl ? await openPostgres(config.databaseUrl, { max: 1 }) : await openPglite(config.dataDir);
try {
  await database.migrate();
  // The change log follows HUB_FEDERATION (src/domain/federation/change-log.ts); an API started
  // before this migration could not switch it.
  await switchChangeLog(database.db, config);
  console.log(`migrations applied (${database.kind})`);
} finally {
  await database.close();
}
