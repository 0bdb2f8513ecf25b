import { schemaIsCurrent } from '../../db/migrations';
import type { HubContext } from '../context';

export type DatabaseReadiness = 'ok' | 'unavailable' | 'outdated';

/**
 * The database answers and has every migration this version ships. A database that answers
 * without them (never migrated, or `npm run migrate` not run after an upgrade) would answer
 * the API with 500s, so it is `outdated`, not ready.
 */
export async function databaseReadiness(hub: HubContext): Promise<DatabaseReadiness> {
  await hub.pingDatabase();
  return (await schemaIsCurrent(hub.db)) ? 'ok' : 'outdated';
}
