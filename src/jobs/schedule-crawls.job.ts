import { Type } from 'typebox';
import { defineJob } from './contract';
import type { JobQueue } from './contract';

/**
 * The periodic refresh: one scheduled job that fans out one crawl per repository,
 * each delayed so the crawls spread over the interval instead of hitting the forges at once.
 */
export const scheduleCrawlsJob = defineJob({
  name: 'schedule-crawls',
  payload: Type.Object({}, { additionalProperties: false }),
  attempts: 3,
  backoffMs: 60_000,
  // Listing ids and adding delayed jobs: seconds even for 100 000 repositories.
  timeoutMs: 5 * 60_000,
  dedupId: () => 'schedule-crawls',
});

export const CRAWL_SCHEDULER_ID = 'crawl-refresh';

/** Idempotent: every worker process may call it at start; the last interval wins. */
export async function ensureCrawlScheduler(queue: JobQueue, intervalMinutes: number) {
  await queue.upsertScheduler(CRAWL_SCHEDULER_ID, scheduleCrawlsJob, {}, intervalMinutes * 60_000);
}

/**
 * Re-creates the scheduler when it is missing (Redis lost its data, or was replaced): whoever
 * notices calls it. True when it had to.
 */
export async function restoreCrawlScheduler(queue: JobQueue, intervalMinutes: number): Promise<boolean> {
  if (await queue.hasScheduler(CRAWL_SCHEDULER_ID, scheduleCrawlsJob)) return false;
  await ensureCrawlScheduler(queue, intervalMinutes);
  return true;
}
