import type { Db } from '../../db/client';
import { countRepositoriesByCrawlState } from '../../db/queries/crawl.queries';
import { CRAWL_STATES, type CrawlState } from '../../db/schema/repositories';

/**
 * Repositories per crawl state, every state present (0 when none): the outcome of each
 * repository's last crawl, read from the database so it covers crawls of every worker process.
 */
export async function crawlStateCounts(db: Db): Promise<Record<CrawlState, number>> {
  const counts = Object.fromEntries(CRAWL_STATES.map((state) => [state, 0])) as Record<CrawlState, number>;
  for (const row of await countRepositoriesByCrawlState(db)) counts[row.state] = Number(row.count);
  return counts;
}
