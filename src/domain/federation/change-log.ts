import type { Config } from '../../config';
import type { Db } from '../../db/client';
import { setFederationHub } from '../../db/queries/federation-log.queries';
import { sqlState } from '../../lib/errors';
import { asDatabaseUnavailable } from '../../lib/unavailable';
import { hubId } from './descriptor';

/**
 * The change log is written by database triggers (migration 0015: th_federation_*), so every
 * write path (API, crawler, demo load, applied peer entries) appends in its own transaction with
 * no code of its own to forget. They write only while federation_log_state names a hub id: set
 * here at start from HUB_FEDERATION, so a hub without federation writes no log and no per-record
 * state. Every process of a hub has the same configuration; the last to start decides.
 */
export async function switchChangeLog(db: Db, config: Config): Promise<boolean> {
  try {
    await setFederationHub(db, config.federation ? hubId(config) : null);
    return true;
  } catch (error) {
    // A database not migrated yet (no federation_log_state: the API must still start and answer
    // 503 "outdated" on /ready) or away for the moment (the API starts and answers 503 until it is
    // back). `npm run migrate` switches it too, and so does every later start.
    if (failedBeforeSwitching(error)) return false;
    throw error;
  }
}

/** No federation_log_state yet (42P01: not migrated), or the database away (the one classifier of src/lib). */
function failedBeforeSwitching(error: unknown): boolean {
  return sqlState(error) === '42P01' || asDatabaseUnavailable(error) !== null;
}
