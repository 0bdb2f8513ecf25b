import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { Static, TSchema } from 'typebox';
import { parsePayload, type EnqueueOptions, type JobContract, type JobQueue } from './contract';

/**
 * Producer side of server mode. Producers fail fast when Redis is down (no offline
 * queue, one try per command) so the API answers 503 instead of hanging; workers
 * (workers/main.ts) use their own connections that wait for Redis.
 */
export class BullmqQueue implements JobQueue {
  readonly kind = 'bullmq' as const;
  private readonly connection: Redis;
  private readonly queues = new Map<string, Queue>();

  constructor(
    redisUrl: string,
    private readonly prefix: string,
  ) {
    this.connection = new Redis(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false });
    // Connection errors surface through the failing command; an unhandled 'error' event would crash.
    this.connection.on('error', () => {});
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

  async enqueue<S extends TSchema>(contract: JobContract<S>, payload: Static<S>, options: EnqueueOptions = {}) {
    const valid = parsePayload(contract, payload);
    const dedupId = options.deduplicate === false ? undefined : contract.dedupId?.(valid);
    // Our own id lets us tell a deduplicated add: BullMQ then answers with the existing job's id.
    const ownId = randomUUID();
    const job = await this.queue(contract.name).add(contract.name, valid, {
      jobId: ownId,
      attempts: contract.attempts,
      backoff: { type: 'exponential', delay: contract.backoffMs },
      delay: options.delayMs,
      // A push during a running crawl must still lead to one more crawl afterwards.
      deduplication: dedupId ? { id: dedupId, keepLastIfActive: true } : undefined,
      // Keep a day of history for operators, bounded so Redis (noeviction) never fills up.
      removeOnComplete: { age: 24 * 3600, count: 1000 },
      removeOnFail: { age: 7 * 24 * 3600, count: 5000 },
    });
    const jobId = job.id ?? ownId;
    return { jobId, deduplicated: jobId !== ownId };
  }

  async upsertScheduler<S extends TSchema>(id: string, contract: JobContract<S>, payload: Static<S>, everyMs: number) {
    const valid = parsePayload(contract, payload);
    await this.queue(contract.name).upsertJobScheduler(id, { every: everyMs }, {
      name: contract.name,
      data: valid,
      opts: {
        attempts: contract.attempts,
        backoff: { type: 'exponential', delay: contract.backoffMs },
        removeOnComplete: { age: 24 * 3600, count: 100 },
        removeOnFail: { age: 7 * 24 * 3600, count: 100 },
      },
    });
  }

  async ping(): Promise<void> {
    await this.connection.ping();
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.queues.values()].map((q) => q.close()));
    this.connection.disconnect();
  }
}
