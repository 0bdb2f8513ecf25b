import type { Config } from '../../config';
import type { Db } from '../../db/client';
import { setFederationHub } from '../../db/queries/federation-log.queries';
import { hubId } from './descriptor';

/**
 * The change log is written by database triggers (migration 0013: th_federation_*), so every
 * write path (API, crawler, demo load, applied peer entries) appends in its own transaction with
 * no code of its own to forget. They write only while federation_log_state names a hub id: set
 * here at start from HUB_FEDERATION, so a hub without federation writes no log and no per-record
 * state. Every process of a hub has the same configuration; the last to start decides.
 */
export async function switchChangeLog(db: Db, config: Config): Promise<void> {
  await setFederationHub(db, config.federation ? hubId(config) : null);
}
