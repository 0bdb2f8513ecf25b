import { randomUUID } from 'node:crypto';
import type { Static, TSchema } from 'typebox';
import {
  parsePayload,
  PermanentJobError,
  type BulkJob,
  type EnqueueOptions,
  type JobContract,
  type JobHandler,
  type JobDepth,
  type JobQueue,
  type JobWaitAge,
} from './contract';
import { failureLogFields, jobFailure } from './failure';

type Entry = { id: string; contract: JobContract; payload: unknown; attempt: number; dedupKey?: string; waitingSince?: number };
type Log = { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };

/**
 * Embedded mode's queue: the same contracts and handlers as the BullMQ workers, run in
 * this process. Keeps BullMQ's semantics that matter to callers: deduplication while a
 * job is waiting, and while it runs one more run kept for after it (BullMQ's
 * keepLastIfActive: a push during a crawl is not lost), attempts with exponential backoff, permanent failures not
 * retried, a time limit per attempt. Jobs do not survive a restart; the scheduled
 * refresh re-creates crawls after one.
 */
export class InProcessQueue implements JobQueue {
  readonly kind = 'in-process' as const;
  private readonly waiting: Entry[] = [];
  private readonly running = new Map<string, Promise<void>>();
  private readonly activeKeys = new Set<string>();
  /** Keys whose job is executing now, and the latest payload asked for again meanwhile. */
  private readonly executingKeys = new Set<string>();
  private readonly rerun = new Map<string, { contract: JobContract; payload: unknown }>();
  /** Delayed entries by their timer. */
  private readonly timers = new Map<NodeJS.Timeout, Entry>();
  /** Running entries by id (depth per queue). */
  private readonly runningEntries = new Map<string, Entry>();
  /** Ids given by enqueueBulk callers, while their job waits or runs: the same id is not added twice. */
  private readonly bulkIds = new Set<string>();
  private readonly shutdown = new AbortController();
  private closed = false;

  constructor(
    private readonly handlers: Record<string, JobHandler>,
    private readonly log: Log,
    // Same default as a BullMQ worker process.
    private readonly concurrency = 4,
  ) {}

  async enqueue<S extends TSchema>(contract: JobContract<S>, payload: Static<S>, options: EnqueueOptions = {}) {
    if (this.closed) throw new Error('the job queue is shutting down');
    const valid = parsePayload(contract, payload);
    const dedupKey = options.deduplicate === false ? undefined : contract.dedupId?.(valid);
    if (dedupKey !== undefined && this.activeKeys.has(dedupKey)) {
      if (this.executingKeys.has(dedupKey)) this.rerun.set(dedupKey, { contract: contract as JobContract, payload: valid });
      return { jobId: dedupKey, deduplicated: true };
    }
    const entry: Entry = { id: randomUUID(), contract: contract as JobContract, payload: valid, attempt: 1, dedupKey };
    if (dedupKey !== undefined) this.activeKeys.add(dedupKey);
    this.schedule(entry, options.delayMs ?? 0);
    return { jobId: entry.id, deduplicated: false };
  }

  async enqueueBulk<S extends TSchema>(contract: JobContract<S>, jobs: BulkJob<S>[]) {
    if (this.closed) throw new Error('the job queue is shutting down');
    for (const job of jobs) {
      const valid = parsePayload(contract, job.payload);
      if (this.bulkIds.has(job.jobId)) continue;
      this.bulkIds.add(job.jobId);
      this.schedule({ id: job.jobId, contract: contract as JobContract, payload: valid, attempt: 1 }, job.delayMs ?? 0);
    }
  }

  private readonly schedulers = new Map<string, NodeJS.Timeout>();

  async hasScheduler(id: string): Promise<boolean> {
    return this.schedulers.has(id);
  }

  /** Embedded mode's scheduler: a timer per id, first run after one interval (not at start). */
  async upsertScheduler<S extends TSchema>(id: string, contract: JobContract<S>, payload: Static<S>, everyMs: number) {
    const valid = parsePayload(contract, payload);
    const previous = this.schedulers.get(id);
    if (previous) clearInterval(previous);
    const timer = setInterval(() => {
      if (!this.closed) void this.enqueue(contract, valid).catch(() => {});
    }, everyMs);
    timer.unref();
    this.schedulers.set(id, timer);
  }

  async depth(contract: JobContract): Promise<JobDepth> {
    const of = (entries: Iterable<Entry>) => [...entries].filter((entry) => entry.contract.name === contract.name).length;
    return { waiting: of(this.waiting), active: of(this.runningEntries.values()), delayed: of(this.timers.values()) };
  }

  async oldestWaiting(contract: JobContract): Promise<JobWaitAge> {
    const since = this.waiting.filter((entry) => entry.contract.name === contract.name).map((entry) => entry.waitingSince ?? Date.now());
    return since.length === 0 ? null : (Date.now() - Math.min(...since)) / 1000;
  }

  async ping(): Promise<void> {
    if (this.closed) throw new Error('the job queue is closed');
  }

  /** Resolves when nothing is waiting or running (tests and shutdown use it). */
  async idle(): Promise<void> {
    while (this.running.size > 0 || this.waiting.length > 0 || this.timers.size > 0) {
      await Promise.race([...this.running.values(), new Promise((r) => setTimeout(r, 10))]);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.schedulers.values()) clearInterval(timer);
    this.schedulers.clear();
    for (const timer of this.timers.keys()) clearTimeout(timer);
    this.timers.clear();
    this.waiting.length = 0;
    this.shutdown.abort();
    await Promise.allSettled([...this.running.values()]);
  }

  private schedule(entry: Entry, delayMs: number) {
    if (delayMs <= 0) {
      entry.waitingSince = Date.now();
      this.waiting.push(entry);
      this.pump();
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (this.closed) return;
      entry.waitingSince = Date.now();
      this.waiting.push(entry);
      this.pump();
    }, delayMs);
    timer.unref();
    this.timers.set(timer, entry);
  }

  private pump() {
    while (!this.closed && this.running.size < this.concurrency && this.waiting.length > 0) {
      const entry = this.waiting.shift()!;
      const run = this.run(entry).finally(() => {
        this.running.delete(entry.id);
        this.runningEntries.delete(entry.id);
        this.pump();
      });
      this.running.set(entry.id, run);
      this.runningEntries.set(entry.id, entry);
    }
  }

  private async run(entry: Entry) {
    const handler = this.handlers[entry.contract.name];
    const attemptSignal = AbortSignal.any([this.shutdown.signal, AbortSignal.timeout(entry.contract.timeoutMs)]);
    if (entry.dedupKey !== undefined) this.executingKeys.add(entry.dedupKey);
    let retry = false;
    try {
      if (!handler) throw new PermanentJobError(`no handler for job ${entry.contract.name}`);
      await handler(entry.payload, {
        jobId: entry.id,
        attempt: entry.attempt,
        maxAttempts: entry.contract.attempts,
        updateProgress: async () => {},
        signal: attemptSignal,
      });
    } catch (error) {
      retry = !this.closed && jobFailure(error, { attempt: entry.attempt, maxAttempts: entry.contract.attempts }).retry;
      const fields = { job: entry.contract.name, jobId: entry.id, attempt: entry.attempt, ...failureLogFields(error) };
      if (retry) this.log.warn(fields, 'job failed, retrying');
      else if ('reason' in fields) this.log.warn(fields, 'job failed for good');
      else this.log.error(fields, 'job failed');
    }
    // Before anything new with this key can start (release may start the run asked for meanwhile).
    if (entry.dedupKey !== undefined) this.executingKeys.delete(entry.dedupKey);
    if (retry) this.schedule({ ...entry, attempt: entry.attempt + 1 }, entry.contract.backoffMs * 2 ** (entry.attempt - 1));
    else {
      this.bulkIds.delete(entry.id);
      this.release(entry);
    }
  }

  /** The job is done for good: its key is free again, or taken by the run asked for while it ran. */
  private release(entry: Entry) {
    if (entry.dedupKey === undefined) return;
    const again = this.rerun.get(entry.dedupKey);
    this.rerun.delete(entry.dedupKey);
    if (again && !this.closed) {
      this.schedule({ id: randomUUID(), contract: again.contract, payload: again.payload, attempt: 1, dedupKey: entry.dedupKey }, 0);
      return;
    }
    this.activeKeys.delete(entry.dedupKey);
  }
}
