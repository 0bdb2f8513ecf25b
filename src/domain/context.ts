import type { Redis } from 'ioredis';
import type { Config } from '../config';
import type { AdminCredential } from './auth/admin-token';
import type { HubKeys } from './federation/hub-keys';
import type { Db, PoolUse } from '../db/client';
import type { JobQueue } from '../jobs/contract';
import type { Logger } from '../lib/logger';
import type { OnceStore } from '../lib/once-store';
import type { AnswerCache } from './search/answer-cache';
import type { SearchIndex } from './search/index/search-index';

/** What domain services need from the outside world; built once in deps.ts. */
export type HubContext = {
  config: Config;
  db: Db;
  /** Resolves when the database answers; readiness checks call it. */
  pingDatabase(): Promise<void>;
  /** Server mode: the connection pool's use now (GET /metrics); absent on PGlite (one connection). */
  databasePool?: () => PoolUse;
  queue: JobQueue;
  /**
   * The admin secret's hash: HUB_ADMIN_TOKEN, or in embedded mode the token generated at the
   * first start. Unset: derived from config.adminToken.
   */
  admin?: AdminCredential | null;
  logger: Logger;
  /** Webhook delivery ids and payload hashes seen within a day (replay refusal); shared through Redis in server mode. */
  deliveries: OnceStore;
  /**
   * Server mode: a Redis connection of its own for small shared state (rate-limit counters,
   * delivery ids) that fails at once when Redis is away instead of queueing commands. Null: embedded.
   */
  sharedRedis?: Redis | null;
  /** Seals webhook subscription secrets at rest (src/domain/webhooks/secrets.ts); null: no key, subscriptions are refused. */
  webhookKey?: Buffer | null;
  /** Search and suggestion answers per catalogue revision (HUB_SEARCH_CACHE_MB); null or absent: off. */
  searchCache?: AnswerCache | null;
  /** The in-process search index (HUB_SEARCH_INDEX); null or absent: searches ask the database. */
  searchIndex?: SearchIndex | null;
  /** The hub's signing keys when HUB_FEDERATION is on; null or absent: federation is off. */
  federationKeys?: HubKeys | null;
};
