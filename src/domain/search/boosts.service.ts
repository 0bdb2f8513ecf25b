import { expireBoosts } from '../../db/queries/search.queries';
import type { HubContext } from '../context';

/** The expire-search-boosts job: boosts whose "release within a year" ran out are recomputed. */
export async function expireSearchBoosts(hub: Pick<HubContext, 'db' | 'logger'>): Promise<number> {
  const changed = await expireBoosts(hub.db);
  if (changed > 0) hub.logger.info({ changed }, 'search boosts recomputed after a release turned a year old');
  return changed;
}
