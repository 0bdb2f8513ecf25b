import { randomUUID } from 'node:crypto';
import { Queue, type JobsOptions } from 'bullmq';
import { Redis } from 'ioredis';
import type { Static, TSchema } from 'typebox';
import { QueueUnavailable } from '../lib/errors';
import { parsePayload, type BulkJob, type EnqueueOptions, type JobContract, type JobDepth, type JobQueue, type JobWaitAge } from './contract';

// 3 s: Redis answers an add in milliseconds; a producer waiting longer holds an HTTP request for nothing.
const PRODUCER_TIMEOUT_MS = 3000;
// 1,000 jobs per addBulk: one MULTI of a few hundred KiB, well inside Redis's limits, and few round trips.
const BULK_CHUNK = 1000;

/**
 * Producer side of server mode. Producers fail fast when Redis is down (no offline
 * queue, one try per command, a time limit) with QueueUnavailable, which the API answers
 * as 503; workers (workers/main.ts) use their own connections that wait for Redis.
 */
export class BullmqQueue implements JobQueue {
  readonly kind = 'bullmq' as const;
  private readonly connection: Redis;
  private readonly queues = new Map<string, Queue>();
  /** Until the first connection, a producer waits for it (within the time limit); after that, not. */
  private readonly firstConnection: Promise<void>;
  private connectedOnce = false;

  constructor(
    redisUrl: string,
    private readonly prefix: string,
  ) {
    this.connection = new Redis(redisUrl, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      lazyConnect: false,
      // Reconnect within a second of Redis returning: producers are refused (503) until then.
      retryStrategy: (times) => Math.min(times * 200, 1000),
    });
    // Connection errors surface through the failing command; an unhandled 'error' event would crash.
    this.connection.on('error', () => {});
    this.firstConnection = new Promise((resolve) =>
      this.connection.once('ready', () => {
        this.connectedOnce = true;
        resolve();
      }),
    );
  }

  queue(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.connection, prefix: this.prefix });
      queue.on('error', () => {});
      this.queues.set(name, queue);
    }
    return queue;
  }

  /**
   * Runs a producer command only while connected, within the time limit. BullMQ would wait for
   * the connection to come back (the request would hang), so a connection that is not ready is
   * refused at once (except before the very first connection); any failure while Redis is away
   * becomes QueueUnavailable.
   */
  private async produce<T>(work: () => Promise<T>): Promise<T> {
    const status = this.connection.status;
    // A request right after start waits for the first connection instead of failing.
    const starting = !this.connectedOnce && (status === 'wait' || status === 'connecting' || status === 'connect');
    if (status !== 'ready' && !starting) throw new QueueUnavailable();
    let timer: NodeJS.Timeout | undefined;
    let answered = false;
    try {
      return await Promise.race([
        (starting ? this.firstConnection : Promise.resolve()).then(() => {
          // Connected only after the caller got its 503: nothing may be queued behind its back.
          if (answered) throw new QueueUnavailable();
          return work();
        }),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new QueueUnavailable(new Error(`no answer from Redis within ${PRODUCER_TIMEOUT_MS} ms`))), PRODUCER_TIMEOUT_MS);
        }),
      ]);
    } catch (error) {
      if (error instanceof QueueUnavailable || this.connection.status !== 'ready' || isConnectionFailure(error)) throw new QueueUnavailable(error);
      throw error;
    } finally {
      answered = true;
      clearTimeout(timer);
    }
  }

  private jobOptions(contract: JobContract): JobsOptions {
    return {
      attempts: contract.attempts,
      backoff: { type: 'exponential', delay: contract.backoffMs },
      // Keep a day of history for operators, bounded so Redis (noeviction) never fills up.
      removeOnComplete: { age: 24 * 3600, count: 1000 },
      removeOnFail: { age: 7 * 24 * 3600, count: 5000 },
    };
  }

  async enqueue<S extends TSchema>(contract: JobContract<S>, payload: Static<S>, options: EnqueueOptions = {}) {
    const valid = parsePayload(contract, payload);
    const dedupId = options.deduplicate === false ? undefined : contract.dedupId?.(valid);
    // Our own id lets us tell a deduplicated add: BullMQ then answers with the existing job's id.
    const ownId = randomUUID();
    const job = await this.produce(() =>
      this.queue(contract.name).add(contract.name, valid, {
        ...this.jobOptions(contract),
        jobId: ownId,
        delay: options.delayMs,
        // A push during a running crawl must still lead to one more crawl afterwards.
        deduplication: dedupId ? { id: dedupId, keepLastIfActive: true } : undefined,
      }),
    );
    const jobId = job.id ?? ownId;
    return { jobId, deduplicated: jobId !== ownId };
  }

  async enqueueBulk<S extends TSchema>(contract: JobContract<S>, jobs: BulkJob<S>[]) {
    const items = jobs.map((job) => ({
      name: contract.name,
      data: parsePayload(contract, job.payload),
      // BullMQ adds nothing for an id it still holds: that makes a retried fan-out idempotent.
      opts: { ...this.jobOptions(contract), jobId: job.jobId, delay: job.delayMs },
    }));
    for (let start = 0; start < items.length; start += BULK_CHUNK) {
      await this.produce(() => this.queue(contract.name).addBulk(items.slice(start, start + BULK_CHUNK)));
    }
  }

  async depth(contract: JobContract): Promise<JobDepth> {
    const counts = await this.produce(() => this.queue(contract.name).getJobCounts('waiting', 'active', 'delayed'));
    return { waiting: counts.waiting ?? 0, active: counts.active ?? 0, delayed: counts.delayed ?? 0 };
  }

  async oldestWaiting(contract: JobContract): Promise<JobWaitAge> {
    // The wait list takes new jobs at its head and workers take from its tail: ascending order starts at the oldest.
    const [oldest] = await this.produce(() => this.queue(contract.name).getJobs(['wait'], 0, 0, true));
    if (!oldest) return null;
    // A delayed job (a retry's backoff) waits for a worker only from the end of its delay.
    const ready = oldest.timestamp + (oldest.opts.delay ?? 0);
    return Math.max(0, (Date.now() - ready) / 1000);
  }

  async upsertScheduler<S extends TSchema>(id: string, contract: JobContract<S>, payload: Static<S>, everyMs: number) {
    const valid = parsePayload(contract, payload);
    await this.produce(() =>
      this.queue(contract.name).upsertJobScheduler(id, { every: everyMs }, {
        name: contract.name,
        data: valid,
        opts: {
          attempts: contract.attempts,
          backoff: { type: 'exponential', delay: contract.backoffMs },
          removeOnComplete: { age: 24 * 3600, count: 100 },
          removeOnFail: { age: 7 * 24 * 3600, count: 100 },
        },
      }),
    );
  }

  async hasScheduler(id: string, contract: JobContract): Promise<boolean> {
    return (await this.produce(() => this.queue(contract.name).getJobScheduler(id))) !== undefined;
  }

  async ping(): Promise<void> {
    await this.produce(() => this.connection.ping());
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.queues.values()].map((q) => q.close()));
    this.connection.disconnect();
  }
}

/** ioredis's ways of saying the connection is gone (the command was not, or may not have been, run). */
function isConnectionFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return (
    error.name === 'MaxRetriesPerRequestError' ||
    /Connection is closed|Stream isn't writeable|ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT/.test(error.message)
  );
}
