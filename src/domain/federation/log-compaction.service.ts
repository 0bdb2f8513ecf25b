import { compactChangeLog } from '../../db/queries/federation-log.queries';
import type { HubContext } from '../context';
import { TOMBSTONE_RETENTION_DAYS } from './feed.service';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The compact-federation-log job: null when federation is off (there is no log to serve). */
export async function compactFederationLog(hub: HubContext, now: Date = new Date()) {
  if (!hub.federationKeys) return null;
  const result = await compactChangeLog(hub.db, { tombstonesBefore: new Date(now.getTime() - TOMBSTONE_RETENTION_DAYS * DAY_MS) });
  if (result.superseded + result.expired > 0) hub.logger.info(result, 'federation change log compacted');
  return result;
}
