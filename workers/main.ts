import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { loadConfigOrExit } from '../src/config';
import { createDeps } from '../src/deps';
import { createHubMetrics } from '../src/domain/metrics/hub-metrics';
import { createLogger } from '../src/lib/logger';
import { serveMetrics } from '../src/lib/metrics-server';
import { exitGracefullyOnSignals } from '../src/lib/shutdown';
import { createRegistry } from './registry';
import { keepQueuesWhole } from './upkeep';

/**
 * `npm run worker`: BullMQ workers for every job contract, in their own process (scale by
 * starting more). Waits for Redis instead of failing (ioredis retries forever with
 * maxRetriesPerRequest null), keeps the refresh scheduler and the crawl states whole
 * (workers/upkeep.ts), and on SIGTERM/SIGINT
 * lets running jobs finish (or abort at their time limit) before closing, within
 * HUB_SHUTDOWN_TIMEOUT_SECONDS (src/lib/shutdown.ts).
 */
async function main() {
  const config = loadConfigOrExit();
  const logger = createLogger(config.logLevel);
  if (!config.redisUrl || !config.databaseUrl) {
    logger.error('the worker runs in server mode only: set DATABASE_URL and REDIS_URL (embedded mode runs jobs inside `npm start`)');
    process.exit(2);
  }
  // No in-process search index here: the need matching's few searches an hour are not worth
  // loading 100 000 documents into every worker; they ask the database.
  const deps = await createDeps({ ...config, searchIndex: false }, { logger });
  const connection = new Redis(config.redisUrl, {
    maxRetriesPerRequest: null,
    // Reconnect every second at most: a restarting Redis is back within seconds.
    retryStrategy: (times) => Math.min(times * 200, 1000),
  });
  connection.on('error', (err) => logger.warn({ err: err.message }, 'redis not reachable, retrying'));
  const workers = createRegistry(deps.hub).map(
    ({ contract, processor, concurrency }) =>
      new Worker(contract.name, processor, {
        connection,
        prefix: config.queuePrefix,
        concurrency,
        // A crashed worker's job is taken over after the lock runs out (30 s unless configured);
        // a running crawl renews its lock meanwhile.
        lockDuration: config.workerLockMs,
        stalledInterval: config.workerLockMs,
        maxStalledCount: 2,
      }),
  );
  for (const worker of workers) worker.on('error', (err) => logger.warn({ err: err.message, queue: worker.name }, 'worker error'));
  // The producer connection fails fast by design; upkeep retries until Redis and PostgreSQL answer.
  const upkeep = keepQueuesWhole(deps.hub, connection);
  let metrics: Awaited<ReturnType<typeof serveMetrics>> | null = null;
  // Installed before anything is awaited: the workers take jobs from the moment they exist, and a
  // SIGTERM during the upkeep's first round must still let those jobs finish (or hit the deadline).
  exitGracefullyOnSignals({
    logger,
    timeoutMs: config.shutdownTimeoutMs,
    stopping: 'finishing running jobs',
    close: async (step) => {
      upkeep.stop();
      await metrics?.close();
      await step('workers (jobs in flight)', () => Promise.allSettled(workers.map((worker) => worker.close())));
      connection.disconnect();
      await deps.close(step);
    },
  });
  await upkeep.ready;
  logger.info({ queues: workers.map((w) => w.name), concurrency: config.workerConcurrency }, 'workers ready');
  // Off by default: a worker serves no HTTP unless a scraper is meant to reach it.
  metrics = config.workerMetricsPort === null ? null : await serveMetrics(createHubMetrics(deps.hub), { port: config.workerMetricsPort, host: config.host });
  if (metrics) logger.info({ port: metrics.port }, 'worker metrics served (GET /metrics)');
}

void main();
