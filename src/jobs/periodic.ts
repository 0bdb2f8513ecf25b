import type { JobContract, JobQueue } from './contract';

/**
 * A job that runs on a fixed interval with an empty payload: `ensure` creates (or updates) its
 * scheduler, idempotently, at every start; `restore` re-creates it when Redis lost it (true when
 * it had to), as the workers' upkeep checks every minute.
 */
export function periodicJob(schedulerId: string, job: JobContract, everyMs: number) {
  const ensure = async (queue: JobQueue) => {
    await queue.upsertScheduler(schedulerId, job, {}, everyMs);
  };
  return {
    ensure,
    async restore(queue: JobQueue): Promise<boolean> {
      if (await queue.hasScheduler(schedulerId, job)) return false;
      await ensure(queue);
      return true;
    },
  };
}
