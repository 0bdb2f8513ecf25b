import { listRepositoryIds } from '../../db/queries/crawl.queries';
import { crawlRepositoryJob } from '../../jobs/crawl-repository.job';
import type { HubContext } from '../context';

/**
 * Queues a crawl of every repository, spread evenly over half the refresh interval:
 * the forges see a steady trickle, and the round finishes well before the next one.
 * Without the crawl's deduplication, so a delayed scheduled crawl never swallows a webhook's
 * crawl; a crawl that finds nothing new ends as "unchanged" after one refs request.
 * Idempotent per round: each job's id is the round's (the scheduled job's id) and the
 * repository's, so a fan-out retried after failing half-way adds only what is missing.
 */
export async function fanOutCrawls(ctx: HubContext, roundId: string): Promise<number> {
  const ids = await listRepositoryIds(ctx.db);
  const windowMs = (ctx.config.crawlIntervalMinutes * 60_000) / 2;
  const step = ids.length > 1 ? windowMs / ids.length : 0;
  // BullMQ refuses ':' in custom ids; a scheduled job's id is "repeat:<scheduler>:<time>".
  const round = roundId.replaceAll(':', '.');
  await ctx.queue.enqueueBulk(
    crawlRepositoryJob,
    ids.map((repositoryId, index) => ({
      jobId: `schedule.${round}.${repositoryId}`,
      payload: { repositoryId, reason: 'schedule' as const },
      delayMs: Math.round(index * step),
    })),
  );
  return ids.length;
}
