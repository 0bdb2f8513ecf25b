import { UnrecoverableError, type Job, type Processor } from 'bullmq';
import type { JobContract, JobHandler } from '../src/jobs/contract';
import { failureLogFields, jobFailure } from '../src/jobs/failure';
import type { Logger } from '../src/lib/logger';

/**
 * Adapts a handler of the shared table to a BullMQ processor: the contract's time limit
 * and the worker's shutdown become one AbortSignal, progress goes to the job, and a
 * failure jobFailure (src/jobs/failure.ts) gives up on becomes UnrecoverableError so BullMQ does not retry it.
 */
export function toProcessor(contract: JobContract, handler: JobHandler, logger: Logger): Processor {
  return async (job: Job, _token?: string, signal?: AbortSignal) => {
    const log = logger.child({ queue: contract.name, jobId: job.id });
    const limit = AbortSignal.timeout(contract.timeoutMs);
    const attemptSignal = signal ? AbortSignal.any([signal, limit]) : limit;
    const started = performance.now();
    const attempt = job.attemptsMade + 1;
    const maxAttempts = job.opts.attempts ?? contract.attempts;
    try {
      await handler(job.data, {
        jobId: job.id ?? '',
        attempt,
        maxAttempts,
        updateProgress: (percent) => job.updateProgress(percent),
        signal: attemptSignal,
      });
      log.info({ ms: Math.round(performance.now() - started) }, 'job done');
    } catch (error) {
      if (!jobFailure(error, { attempt, maxAttempts }).retry) {
        log.warn({ reason: (error as Error).message, attempt }, 'job failed for good');
        throw new UnrecoverableError((error as Error).message);
      }
      log.warn({ ...failureLogFields(error), attempt }, 'job failed, BullMQ retries with backoff');
      throw error;
    }
  };
}
