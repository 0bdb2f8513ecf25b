import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repositories } from '../../src/db/schema/index';
import { createJobHandlers } from '../../src/domain/job-handlers';
import { crawlRepositoryJob } from '../../src/jobs/crawl-repository.job';
import { CRAWL_SCHEDULER_ID, scheduleCrawlsJob } from '../../src/jobs/schedule-crawls.job';
import { admin, createTestHub, type TestHub } from '../helpers/hub';
import { startHubProcess, type HubProcess } from '../helpers/hub-process';
import { freePort } from '../helpers/postgres-cluster';
import { startRedisServer, type RedisServer } from '../helpers/redis-server';
import { until } from '../helpers/worker-process';

/** Resolves with the promise's value, or with 'hung' after `ms`: a producer must fail fast, not hang. */
function within<T>(promise: Promise<T>, ms: number): Promise<T | 'hung'> {
  return Promise.race([promise, new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), ms).unref())]);
}

/**
 * Redis killed (SIGKILL, no persistence: its data is gone) and restarted under the API and
 * the worker. Redis is the test's own, on a free loopback port; PostgreSQL is the machine's.
 */
describe('Redis faults', () => {
  let redis: RedisServer;
  let hub: TestHub;
  let prefix: string;
  let organisationId: string;
  let deadHost: string;
  const processes: HubProcess[] = [];
  const queues: Queue[] = [];
  /** The test's own look into a queue (BullMQ's API, as an operator would use it). */
  const queueOf = (name: string) => {
    const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
    connection.on('error', () => {});
    const queue = new Queue(name, { connection, prefix });
    queue.on('error', () => {});
    queues.push(queue);
    return queue;
  };
  const register = (url: string) =>
    hub.app.inject({ method: 'POST', url: '/v1/repositories', headers: admin, payload: { url, organisationId } });
  const rowOf = async (url: string) => (await hub.deps.hub.db.select().from(repositories).where(eq(repositories.url, url)))[0] ?? null;
  const stateOf = async (url: string) => (await rowOf(url))?.crawlState ?? null;

  beforeAll(async () => {
    redis = await startRedisServer();
    prefix = `th-test-${randomBytes(4).toString('hex')}`;
    hub = await createTestHub({ REDIS_URL: redis.url, HUB_QUEUE_PREFIX: prefix });
    const org = await hub.app.inject({ method: 'POST', url: '/v1/organisations', headers: admin, payload: { name: 'Redisausfallstadt', kind: 'municipality' } });
    organisationId = org.json().id;
    // Crawls of these repositories fail at once (nothing listens): only the queueing is under test.
    deadHost = `http://127.0.0.1:${await freePort()}`;
  }, 60_000);

  afterAll(async () => {
    await Promise.all(queues.map((q) => q.close().then(() => q.disconnect())));
    await Promise.all(processes.map((p) => p.stop()));
    await hub?.close();
    await redis?.destroy();
  });

  it('with Redis down, registering a repository answers 503 at once and leaves no repository queued without a job', async () => {
    await redis.kill();
    const url = `${deadHost}/stadt/ohne-redis`;
    let answer: Awaited<ReturnType<typeof register>> | 'hung';
    try {
      answer = await within(register(url), 10_000);
      expect(await stateOf(url)).toBeNull();
    } finally {
      await redis.start();
    }
    expect(answer).not.toBe('hung');
    if (answer === 'hung') return;
    expect(answer.statusCode).toBe(503);
    expect(answer.headers['content-type']).toContain('application/problem+json');
    expect(answer.headers['retry-after']).toBeDefined();
    expect(answer.json().type).toMatch(/queue\.unavailable$/);

    const again = await until(() => register(url), (r) => r.statusCode === 202, 'registration after Redis returned', 15_000);
    const waiting = await queueOf(crawlRepositoryJob.name).getJobs(['waiting', 'delayed', 'active', 'failed', 'completed']);
    expect(waiting.map((job) => job.data.repositoryId)).toContain(again.json().id);
  });

  it('a retried scheduled fan-out queues each repository once', async () => {
    for (const name of ['eins', 'zwei', 'drei']) expect((await register(`${deadHost}/stadt/fanout-${name}`)).statusCode).toBe(202);
    const total = (await hub.deps.hub.db.select().from(repositories)).length;
    const fanOut = createJobHandlers(hub.deps.hub)[scheduleCrawlsJob.name]!;
    const context = { jobId: 'repeat:crawl-refresh:1700000000000', attempt: 1, maxAttempts: 3, updateProgress: async () => {}, signal: new AbortController().signal };
    await fanOut({}, context);
    // The same scheduled job again (BullMQ retries it after a failure half-way): nothing is added twice.
    await fanOut({}, { ...context, attempt: 2 });
    const jobs = await queueOf(crawlRepositoryJob.name).getJobs(['delayed', 'waiting']);
    const scheduled = jobs.filter((job) => job.data.reason === 'schedule');
    expect(scheduled).toHaveLength(total);
    expect(new Set(scheduled.map((job) => job.data.repositoryId)).size).toBe(total);
  });

  it('a worker started after Redis lost its data queues again the repositories left queued', async () => {
    // Registered while no worker runs: the job waits in Redis, the repository shows "queued".
    const url = `${deadHost}/stadt/verlorener-auftrag`;
    expect((await register(url)).statusCode).toBe(202);
    await redis.kill();
    await redis.start();
    expect(await stateOf(url)).toBe('queued');

    const worker = startHubProcess('workers/main.ts', { DATABASE_URL: hub.deps.hub.config.databaseUrl!, REDIS_URL: redis.url, HUB_QUEUE_PREFIX: prefix });
    processes.push(worker);
    // At start the worker requeues what was queued: the crawl runs (and fails on the dead host,
    // which leaves it "queued" for BullMQ's retry, with the error recorded).
    await until(() => rowOf(url), (row) => row?.lastErrorAt != null, 'the lost crawl to run again', 30_000).catch((error: Error) => {
      throw new Error(`${error.message}\nworker output:\n${worker.output().slice(-4000)}`);
    });
  }, 60_000);

  it('a running worker re-creates the refresh scheduler after Redis lost its data', async () => {
    const worker = processes[0] ?? startHubProcess('workers/main.ts', { DATABASE_URL: hub.deps.hub.config.databaseUrl!, REDIS_URL: redis.url, HUB_QUEUE_PREFIX: prefix });
    if (!processes.includes(worker)) processes.push(worker);
    const scheduler = queueOf(scheduleCrawlsJob.name);
    await until(() => scheduler.getJobScheduler(CRAWL_SCHEDULER_ID), (s) => s !== undefined, 'the scheduler at start', 30_000);

    await redis.kill();
    await redis.start();
    expect(await scheduler.getJobScheduler(CRAWL_SCHEDULER_ID)).toBeUndefined();
    // Whoever notices re-creates it: the worker, when its connection comes back.
    await until(() => scheduler.getJobScheduler(CRAWL_SCHEDULER_ID), (s) => s !== undefined, 'the scheduler after the data loss', 30_000);
    expect(worker.exit()).toBeNull();
  }, 60_000);
});
