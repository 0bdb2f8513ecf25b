import { compactChangeLog } from '../../db/queries/federation-log.queries';
import type { HubContext } from '../context';
import { TOMBSTONE_RETENTION_DAYS } from './feed.service';
import { daysBefore, expireTombstones } from './tombstone-expiry';

/**
 * The compact-federation-log job: null when federation is off (there is no log to serve). The log
 * first (its transaction), then the received tombstones past retention (`tombstonesExpired`), in
 * a statement of its own.
 */
export async function compactFederationLog(hub: HubContext, now: Date = new Date()) {
  if (!hub.federationKeys) return null;
  const log = await compactChangeLog(hub.db, { tombstonesBefore: daysBefore(now, TOMBSTONE_RETENTION_DAYS) });
  const result = { ...log, tombstonesExpired: await expireTombstones(hub, now) };
  if (result.superseded + result.expired + result.tombstonesExpired > 0) hub.logger.info(result, 'federation change log compacted');
  return result;
}
