import { InvalidJobPayload, PermanentJobError } from './contract';

/**
 * What an error may say about retrying, structurally, so this file needs no error classes of the
 * areas that throw them: `permanent` (a git remote that answered 404, refused …) and, for failures
 * that earn fewer tries than the contract allows, `attemptLimit` (a host too slow gets two).
 */
type RetryHint = { permanent?: unknown; attemptLimit?: unknown };

export type JobFailure = {
  /** Another attempt may succeed, and one is left: the runner tries again after its backoff. */
  retry: boolean;
  /** Retrying can never help (as opposed to: out of attempts). */
  permanent: boolean;
};

/**
 * THE decision "retry or give up" for every job, made once here and used by the BullMQ
 * processors (workers/processor.ts), the embedded runner (src/jobs/in-process-queue.ts) and the
 * domain code that records a crawl's failure state (src/domain/crawl/crawl.service.ts), so all
 * three agree about the same error. Permanent: PermanentJobError, a malformed payload, an error
 * that says `permanent: true`. Otherwise a retry while attempts are left, counting the error's
 * own `attemptLimit` as well as the contract's.
 */
export function jobFailure(error: unknown, job: { attempt: number; maxAttempts: number }): JobFailure {
  const hint = (typeof error === 'object' && error !== null ? error : {}) as RetryHint;
  const permanent = error instanceof PermanentJobError || error instanceof InvalidJobPayload || hint.permanent === true;
  const limit = typeof hint.attemptLimit === 'number' ? Math.min(hint.attemptLimit, job.maxAttempts) : job.maxAttempts;
  return { permanent, retry: !permanent && job.attempt < limit };
}

/**
 * What a log line says about a failed attempt. A failure the thrower described (a git host that
 * could not be resolved, answered 404, was too slow: errors that say whether they are
 * `permanent`) is expected operation, one line with its reason; anything else is a defect or an
 * outage and keeps its stack. An offline demo start otherwise printed 38 stack traces.
 */
export function failureLogFields(error: unknown): { reason: string } | { err: unknown } {
  const described = error instanceof PermanentJobError || error instanceof InvalidJobPayload ||
    (typeof error === 'object' && error !== null && typeof (error as RetryHint).permanent === 'boolean');
  return described ? { reason: (error as Error).message } : { err: error };
}
