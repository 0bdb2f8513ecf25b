import { listRepositoryIdsInCrawlStates } from '../../db/queries/crawl.queries';
import { crawlRepositoryJob } from '../../jobs/crawl-repository.job';
import type { HubContext } from '../context';

/**
 * Queues again every crawl a fault may have left behind: repositories shown as "queued" whose
 * job Redis lost (or the API could not add), and "running" ones whose process was killed. Run
 * where jobs can be lost: at the start of the embedded API (its queue lives in memory), and in
 * server mode at a worker's start and whenever its Redis connection comes back.
 * Deduplicated like any crawl request: a job still waiting absorbs it, and a crawl really
 * running elsewhere gets one more run after it (an "unchanged" check of milliseconds).
 */
export async function requeueInterruptedCrawls(ctx: HubContext): Promise<number> {
  const ids = await listRepositoryIdsInCrawlStates(ctx.db, ['queued', 'running']);
  for (const repositoryId of ids) await ctx.queue.enqueue(crawlRepositoryJob, { repositoryId, reason: 'recovered' });
  return ids.length;
}
