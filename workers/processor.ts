import { UnrecoverableError, type Job, type Processor } from 'bullmq';
import { PermanentJobError, type JobContract, type JobHandler } from '../src/jobs/contract';
import type { Logger } from '../src/lib/logger';

/**
 * Adapts a handler of the shared table to a BullMQ processor: the contract's time limit
 * and the worker's shutdown become one AbortSignal, progress goes to the job, and a
 * permanent failure becomes UnrecoverableError so BullMQ does not retry it.
 */
export function toProcessor(contract: JobContract, handler: JobHandler, logger: Logger): Processor {
  return async (job: Job, _token?: string, signal?: AbortSignal) => {
    const log = logger.child({ queue: contract.name, jobId: job.id });
    const limit = AbortSignal.timeout(contract.timeoutMs);
    const attemptSignal = signal ? AbortSignal.any([signal, limit]) : limit;
    const started = performance.now();
    try {
      await handler(job.data, {
        jobId: job.id ?? '',
        attempt: job.attemptsMade + 1,
        maxAttempts: job.opts.attempts ?? contract.attempts,
        updateProgress: (percent) => job.updateProgress(percent),
        signal: attemptSignal,
      });
      log.info({ ms: Math.round(performance.now() - started) }, 'job done');
    } catch (error) {
      if (error instanceof PermanentJobError) {
        log.warn({ reason: error.message }, 'job failed permanently');
        throw new UnrecoverableError(error.message);
      }
      log.warn({ err: error, attempt: job.attemptsMade + 1 }, 'job failed, BullMQ retries with backoff');
      throw error;
    }
  };
}
