import { findRepository, markQueuedUnlessRunning, restoreQueuedCrawlState, type RepositoryRow } from '../../db/queries/repositories.queries';
import { AppError } from '../../lib/errors';
import { crawlRepositoryJob, crawlRequest, type CrawlReason } from '../../jobs/crawl-repository.job';
import type { HubContext } from '../context';

/**
 * Shows a repository as "queued" and queues its crawl, in that order: a worker can take the job
 * and finish it (an unchanged check takes milliseconds) before the enqueue call returns, and a
 * "queued" written afterwards would overwrite its outcome for good. A running crawl keeps its
 * state; the deduplicated job runs once more after it (both queues keep one run for after an
 * active job). When the queue refuses the job, the previous state comes back unless something
 * else has written one meanwhile. Queuing lifts a pause after repeated failures (a manual refresh
 * or a webhook resumes the crawls); a deactivated software entry's repositories stay paused.
 */
export async function queueCrawl(ctx: HubContext, row: RepositoryRow, reason: CrawlReason): Promise<{ jobId: string; deduplicated: boolean; repository: RepositoryRow }> {
  if (row.pausedReason === 'software-inactive') throw new SoftwareInactive();
  const marked = await markQueuedUnlessRunning(ctx.db, row.id);
  try {
    const queued = await ctx.queue.enqueue(crawlRepositoryJob, crawlRequest(row.id, reason));
    return { ...queued, repository: (await findRepository(ctx.db, row.id)) ?? marked ?? row };
  } catch (error) {
    if (marked && (row.crawlState !== 'queued' || row.pausedReason !== null)) await restoreQueuedCrawlState(ctx.db, row.id, row);
    throw error;
  }
}

export class SoftwareInactive extends AppError {
  constructor() {
    super(409, 'repository.software-inactive', 'Conflict',
      'The software entry of this repository is deactivated, so it is not crawled. Reactivate it (PATCH /v1/software/{id} with "active": true) first.');
  }
}
