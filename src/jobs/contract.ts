import type { Static, TSchema } from 'typebox';
import { Value } from 'typebox/value';

/**
 * A job contract: the queue name, the payload schema and the options every producer
 * uses. The API (producer), the BullMQ workers and the in-process runner all read
 * the same contract, so a job means the same thing in both modes.
 */
export type JobContract<S extends TSchema = TSchema> = {
  name: string;
  payload: S;
  /** Attempts in total, including the first. */
  attempts: number;
  /** First retry delay; doubles on each further attempt. */
  backoffMs: number;
  /** Hard limit for one attempt. */
  timeoutMs: number;
  /** Jobs with the same id while one is waiting are dropped; while one runs, one more run is kept for after it. */
  dedupId?: (payload: Static<S>) => string;
};

export function defineJob<S extends TSchema>(contract: JobContract<S>): JobContract<S> {
  return contract;
}

export class InvalidJobPayload extends Error {}

/** Validates a payload at both ends: producers never send, workers never run, a malformed job. */
export function parsePayload<S extends TSchema>(contract: JobContract<S>, payload: unknown): Static<S> {
  if (!Value.Check(contract.payload, payload)) {
    const first = [...Value.Errors(contract.payload, payload)][0];
    throw new InvalidJobPayload(`${contract.name}: invalid payload (${first?.message ?? 'schema mismatch'})`);
  }
  return payload as Static<S>;
}

/** Thrown by job code for failures that retrying cannot fix (404, not a git repository …). */
export class PermanentJobError extends Error {}

export type JobContext = {
  jobId: string;
  /** 1 on the first attempt. */
  attempt: number;
  maxAttempts: number;
  updateProgress(percent: number): Promise<void>;
  /** Aborted when the attempt runs past the contract's time limit or the worker shuts down. */
  signal: AbortSignal;
};

export type JobHandler = (payload: unknown, context: JobContext) => Promise<void>;

export type EnqueueOptions = {
  delayMs?: number;
  /** false: skip the contract's deduplication (spread-out scheduled jobs must not swallow a webhook's crawl). */
  deduplicate?: boolean;
};

/** One job of a bulk add, with the caller's own id: adding an id that is still known adds nothing. */
export type BulkJob<S extends TSchema> = { jobId: string; payload: Static<S>; delayMs?: number };

/** What producers see; BullMQ in server mode, the in-process runner in embedded mode. */
export interface JobQueue {
  readonly kind: 'bullmq' | 'in-process';
  enqueue<S extends TSchema>(contract: JobContract<S>, payload: Static<S>, options?: EnqueueOptions): Promise<{ jobId: string; deduplicated: boolean }>;
  /**
   * Adds jobs with deterministic ids in bulk, without deduplication by the contract: a job whose
   * id is still waiting, delayed or kept is not added again, so a retried fan-out adds nothing twice.
   */
  enqueueBulk<S extends TSchema>(contract: JobContract<S>, jobs: BulkJob<S>[]): Promise<void>;
  ping(): Promise<void>;
  /** Whether the scheduler `id` of the contract's queue exists (Redis may have lost it with its data). */
  hasScheduler(id: string, contract: JobContract): Promise<boolean>;
  /**
   * Runs the job every `everyMs`, once across all processes (BullMQ Job Scheduler in
   * server mode, a timer in embedded mode). Upserting the same id again changes the interval.
   */
  upsertScheduler<S extends TSchema>(id: string, contract: JobContract<S>, payload: Static<S>, everyMs: number): Promise<void>;
  /** Jobs of the contract's queue by state now (GET /metrics reads it at scrape time). */
  depth(contract: JobContract): Promise<JobDepth>;
  /** How long the oldest waiting job of the contract's queue has waited (GET /metrics): workers falling behind. */
  oldestWaiting(contract: JobContract): Promise<JobWaitAge>;
  /** Stops intake and waits for running jobs. */
  close(): Promise<void>;
}

export type JobDepth = { waiting: number; active: number; delayed: number };
/** Seconds the oldest job ready to run has waited for a worker; null when none waits. */
export type JobWaitAge = number | null;
