import { listRepositoryIds } from '../../db/queries/crawl.queries';
import { crawlRepositoryJob } from '../../jobs/crawl-repository.job';
import type { HubContext } from '../context';

/**
 * Queues a crawl of every repository, spread evenly over half the refresh interval:
 * the forges see a steady trickle, and the round finishes well before the next one.
 * Without deduplication, so a delayed scheduled crawl never swallows a webhook's crawl;
 * a crawl that finds nothing new ends as "unchanged" after one refs request.
 */
export async function fanOutCrawls(ctx: HubContext): Promise<number> {
  const ids = await listRepositoryIds(ctx.db);
  const windowMs = (ctx.config.crawlIntervalMinutes * 60_000) / 2;
  const step = ids.length > 1 ? windowMs / ids.length : 0;
  for (const [index, repositoryId] of ids.entries()) {
    await ctx.queue.enqueue(crawlRepositoryJob, { repositoryId, reason: 'schedule' }, { delayMs: Math.round(index * step), deduplicate: false });
  }
  return ids.length;
}
