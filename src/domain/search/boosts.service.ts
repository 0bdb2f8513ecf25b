import { expireBoosts } from '../../db/queries/search.queries';
import type { HubContext } from '../context';
import { buildQueuedSearch } from './queued-build';

/** Leave a share of the job's 60 s timeout for the boosts. */
const QUEUED_BUILD_MS = 40_000;

/**
 * The expire-search-boosts job: boosts whose "release within a year" ran out are recomputed. The
 * hourly upkeep of search also builds documents a snapshot left queued when its peer stopped being
 * pulled (paused, revoked) before they were built; pulls build them otherwise.
 */
export async function expireSearchBoosts(hub: Pick<HubContext, 'db' | 'logger'>): Promise<number> {
  const { built } = await buildQueuedSearch(hub.db, { workers: 1, deadline: Date.now() + QUEUED_BUILD_MS });
  if (built > 0) hub.logger.info({ built }, 'queued search documents built');
  const changed = await expireBoosts(hub.db);
  if (changed > 0) hub.logger.info({ changed }, 'search boosts recomputed after a release turned a year old');
  return changed;
}
