import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { openPglite } from '../db/client';
import { dumpSearchSchema, SEARCH_SCHEMA_FILE } from '../db/search-schema';

/** Writes src/db/schema/search.schema.sql from an in-memory embedded database with every migration applied. */
export async function generateSearchSchema(): Promise<string> {
  const database = await openPglite(null);
  try {
    await database.migrate();
    return await dumpSearchSchema(database.db);
  } finally {
    await database.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(SEARCH_SCHEMA_FILE, await generateSearchSchema());
  process.stdout.write(`wrote ${SEARCH_SCHEMA_FILE}\n`);
}
