import type { Config } from './config';
import type { Database } from './db/client';
import { configuredAdminToken, embeddedAdminToken } from './domain/auth/admin-token';
import type { HubContext } from './domain/context';
import { createAnswerCache } from './domain/search/answer-cache';
import { SearchIndex } from './domain/search/index/search-index';
import { databaseKeyStore, fileKeyStore, loadHubKeys } from './domain/federation/hub-keys';
import { switchChangeLog } from './domain/federation/change-log';
import { createJobHandlers } from './domain/job-handlers';
import { closeCrawlThreads } from './domain/crawl/crawl-threads';
import { BullmqQueue } from './jobs/bullmq-queue';
import type { JobHandler, JobQueue } from './jobs/contract';
import { InProcessQueue } from './jobs/in-process-queue';
import { ensureCrawlScheduler } from './jobs/schedule-crawls.job';
import { ensureWebhookDispatcher } from './jobs/dispatch-webhooks.job';
import { resolveWebhookKey } from './domain/webhooks/secrets';
import { ensureNeedMatchScheduler } from './jobs/match-needs.job';
import { ensureBoostExpiryScheduler } from './jobs/expire-search-boosts.job';
import { ensurePullSchedulers } from './domain/federation/pull-job';
import { ensureLogCompactionScheduler } from './jobs/compact-federation-log.job';
import { createLogger, type Logger } from './lib/logger';
import type { ShutdownStep } from './lib/shutdown';
import { memoryOnceStore, redisOnceStore } from './lib/once-store';
import { Redis } from 'ioredis';
import { announceGeneratedAdmin, openDatabase, step } from './start-steps';

export type Deps = {
  hub: HubContext;
  database: Database;
  /** Closes the queue (draining in-process jobs) and then the database; safe to call twice. `step` names each part (a shutdown deadline reports what hangs). */
  close(step?: ShutdownStep): Promise<void>;
};

/**
 * Embedded mode without DATABASE_URL/REDIS_URL: PGlite in HUB_DATA_DIR, migrated at
 * start, and an in-process job runner. Server mode: PostgreSQL (migrated by
 * `npm run migrate`) and BullMQ producers; workers run in their own processes.
 */
export async function createDeps(
  config: Config,
  options: { logger?: Logger; database?: Database } = {},
): Promise<Deps> {
  const logger = options.logger ?? createLogger(config.logLevel);
  // An opened database may be handed in (the tests' in-memory PGlite); it is closed with the rest.
  const database = options.database ?? (await openDatabase(config, logger));
  try {
    if (database.kind === 'pglite') await step(logger, 'applying database migrations', () => database.migrate());
    const admin =
      database.kind === 'pglite' && config.adminToken === null && !options.database
        ? announceGeneratedAdmin(logger, embeddedAdminToken(config.dataDir))
        : configuredAdminToken(config.adminToken);
    const handlers: Record<string, JobHandler> = {};
    const queue: JobQueue = config.redisUrl
      ? new BullmqQueue(config.redisUrl, config.queuePrefix)
      : new InProcessQueue(handlers, logger, config.workerConcurrency);
    const sharedRedis = config.redisUrl ? sharedStateConnection(config.redisUrl) : null;
    const deliveries = sharedRedis ? redisOnceStore(sharedRedis, `${config.queuePrefix}:delivery`) : memoryOnceStore();
    // Embedded with its own data folder: a 0600 file beside the database, like the admin token;
    // server mode (and a database handed in by tests): the federation_key table.
    const federationKeys = config.federation
      ? await step(logger, 'loading the federation keys', () =>
          loadHubKeys(database.kind === 'pglite' && !options.database ? fileKeyStore(config.dataDir) : databaseKeyStore(database.db)),
        )
      : null;
    if (!(await switchChangeLog(database.db, config))) {
      logger.warn('the federation change log could not be switched (database not migrated or not reachable): `npm run migrate` or the next start does it');
    }
    const searchCache = createAnswerCache(config.searchCacheBytes);
    const searchIndex = config.searchIndex ? new SearchIndex(database.db, logger, config.searchIndexLagMs) : null;
    // The key file lives beside PGlite's data; an in-memory database handed in (tests) has no such place.
    const webhookKey = resolveWebhookKey(config.webhooks.secretKey, database.kind === 'pglite' && !options.database ? config.dataDir : null);
    if (webhookKey === null && database.kind === 'postgres') {
      logger.warn('HUB_WEBHOOK_SECRET_KEY is not set: outgoing webhook subscriptions are refused (API) and cannot be signed (workers)');
    }
    const hub: HubContext = { config, db: database.db, pingDatabase: database.ping, databasePool: database.poolUse, queue, logger, admin, deliveries, sharedRedis, webhookKey, searchCache, searchIndex, federationKeys };
    // Jobs run in this process (embedded mode) write as requests do: searches catch up at once.
    Object.assign(handlers, searchIndex ? searchIndex.markingWrites(createJobHandlers(hub)) : createJobHandlers(hub));
    // Server mode: the worker processes own the scheduler (workers/main.ts).
    if (queue.kind === 'in-process') {
      await ensureCrawlScheduler(queue, config.crawlIntervalMinutes);
      await ensureWebhookDispatcher(queue, config.webhooks.dispatchEveryMs);
      await ensureNeedMatchScheduler(queue);
      await ensureBoostExpiryScheduler(queue);
      await ensurePullSchedulers(hub);
      if (federationKeys) await ensureLogCompactionScheduler(queue);
    }

    let closing: Promise<void> | null = null;
    const close = (step: ShutdownStep = (_name, work) => work()) =>
      (closing ??= (async () => {
        await step('job queue (jobs in flight)', () => queue.close()).catch((err) => logger.error({ err }, 'closing the job queue failed'));
        sharedRedis?.disconnect();
        await step('crawl threads', () => closeCrawlThreads(config));
        searchIndex?.close();
        await step('database', () => database.close()).catch((err) => logger.error({ err }, 'closing the database failed'));
      })());
    return { hub, database, close };
  } catch (error) {
    await database.close();
    throw error;
  }
}

/**
 * Rate-limit counters and webhook delivery ids: a connection apart from BullMQ's, whose commands
 * fail at once while Redis is away (no offline queue, one try), so callers can fail open instead
 * of making a request wait for Redis.
 */
function sharedStateConnection(redisUrl: string): Redis {
  const redis = new Redis(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, retryStrategy: (times) => Math.min(times * 200, 1000) });
  // Errors surface through the failing command; an unhandled 'error' event would only add noise.
  redis.on('error', () => {});
  return redis;
}
