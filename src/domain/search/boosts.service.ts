import { expireBoosts } from '../../db/queries/search.queries';
import type { HubContext } from '../context';
import { drainSearchBacklog } from './search-backlog';

/**
 * The expire-search-boosts job: boosts whose "release within a year" ran out are recomputed. It
 * also builds search documents a stopped pull left deferred (search-backlog), which a pull
 * otherwise builds at its next start.
 */
export async function expireSearchBoosts(hub: Pick<HubContext, 'db' | 'logger'>): Promise<number> {
  const built = await drainSearchBacklog(hub.db);
  if (built > 0) hub.logger.info({ built }, 'search documents of deferred entries built');
  const changed = await expireBoosts(hub.db);
  if (changed > 0) hub.logger.info({ changed }, 'search boosts recomputed after a release turned a year old');
  return changed;
}
