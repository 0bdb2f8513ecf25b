import { findRepository, restoreQueuedCrawlState, setCrawlStateUnlessRunning, type RepositoryRow } from '../../db/queries/repositories.queries';
import { crawlRepositoryJob, crawlRequest } from '../../jobs/crawl-repository.job';
import type { HubContext } from '../context';

type Reason = 'registered' | 'manual' | 'webhook' | 'schedule';

/**
 * Shows a repository as "queued" and queues its crawl, in that order: a worker can take the job
 * and finish it (an unchanged check takes milliseconds) before the enqueue call returns, and a
 * "queued" written afterwards would overwrite its outcome for good. A running crawl keeps its
 * state; the deduplicated job runs once more after it (both queues keep one run for after an
 * active job). When the queue refuses the job, the previous state comes back unless something
 * else has written one meanwhile.
 */
export async function queueCrawl(ctx: HubContext, row: RepositoryRow, reason: Reason): Promise<{ jobId: string; deduplicated: boolean; repository: RepositoryRow }> {
  const marked = await setCrawlStateUnlessRunning(ctx.db, row.id, 'queued');
  try {
    const queued = await ctx.queue.enqueue(crawlRepositoryJob, crawlRequest(row.id, reason));
    return { ...queued, repository: (await findRepository(ctx.db, row.id)) ?? marked ?? row };
  } catch (error) {
    if (marked && row.crawlState !== 'queued') await restoreQueuedCrawlState(ctx.db, row.id, row.crawlState);
    throw error;
  }
}
