import { isIP } from 'node:net';
import { resolve } from 'node:path';

/** Everything the hub reads from its environment, validated once at start. */
export type Config = Readonly<{
  port: number;
  host: string;
  /** Server mode when set: PostgreSQL 15+. Unset: embedded PGlite under dataDir. */
  databaseUrl: string | null;
  /** Server mode when set: BullMQ on Redis. Unset: in-process job runner. */
  redisUrl: string | null;
  /** Key prefix of the BullMQ queues, so several hubs (or test runs) can share one Redis. */
  queuePrefix: string;
  dataDir: string;
  demo: boolean;
  /** Queue the first crawl of the demo catalogue's repositories when they are registered (false: offline installations, tests). */
  demoCrawl: boolean;
  adminToken: string | null;
  logLevel: LogLevel;
  /** Request bodies above this many bytes are answered with 413. */
  bodyLimit: number;
  allowPrivateHosts: boolean;
  /** How often the scheduler re-crawls every repository, in minutes. */
  crawlIntervalMinutes: number;
  workerConcurrency: number;
  /** A crashed worker's job is taken over by another worker after this many milliseconds (BullMQ lock and stalled check). */
  workerLockMs: number;
  /** A crawl's shallow fetch may not exceed this many bytes (the pack as sent by the host). */
  crawlMaxPackBytes: number;
  /** Files above this size are never read into memory by a crawl (README, licence, publiccode.yml). */
  crawlMaxBlobBytes: number;
  /** What all crawls of one process may hold together: pack bytes and inflated objects. */
  crawlMemoryBytes: number;
  /** A host must deliver this many bytes per second after crawlGraceMs, or the transfer stops. */
  crawlMinBytesPerSecond: number;
  crawlGraceMs: number;
  /** The ref listing (advertisement and ls-refs) must be done within this. */
  crawlRefsTimeoutMs: number;
  /** Search and suggestion answers kept per API process for the current catalogue revision (bytes of JSON); 0 turns the cache off. */
  searchCacheBytes: number;
  searchIndex: boolean;
  searchIndexLagMs: number;
  /** V8's --heap-growing-percent for the API process; 0: V8's own rule. */
  heapGrowthPercent: number;
  /**
   * Fastify's trustProxy: which proxies may name the client in X-Forwarded-For (true: any; a number:
   * that many hops; addresses or CIDR ranges). Rate limits count per client address, so behind a
   * proxy this must be set or every client shares the proxy's budget.
   */
  trustProxy: boolean | number | string;
  /** Requests per minute for each budget (see README); null: no rate limits (HUB_RATE_LIMITS=false). */
  rateLimits: RateLimits | null;
  githubToken: string | null;
  githubApiUrl: string;
  gitlabToken: string | null;
  publicUrl: string | null;
  /** Serve /federation/v1 and keep hub keys (HUB_FEDERATION); needs publicUrl, the hub's id for its peers. */
  federation: boolean;
  /** How often the change log is checked to notify peers, in ms (HUB_FEDERATION_NOTIFY_MS); 0: peers wait for their scheduled pull. */
  federationNotifyMs: number;
  /** A shutdown still waiting after this long logs what it waits for and exits with 1. */
  shutdownTimeoutMs: number;
  /** GET /metrics: not served, open to anyone, or only with the admin token (HUB_METRICS). */
  metrics: MetricsAccess;
  /** The API serves GET /metrics on this port as well, to anyone who reaches it (HUB_METRICS_PORT); null: not. */
  metricsPort: number | null;
  /** A worker serves GET /metrics on this port (HUB_WORKER_METRICS_PORT); null: no HTTP in workers. */
  workerMetricsPort: number | null;
  /** Folder of pg_dump and pg_restore for `transferhub backup|restore` in server mode; null: PATH, then /usr/lib/postgresql/<newest>/bin. */
  pgBinDir: string | null;
  webhooks: WebhookSettings;
}>;

/** Outgoing webhooks (src/domain/webhooks). */
export type WebhookSettings = Readonly<{
  /** Seals subscription secrets at rest; unset: embedded mode keeps a generated key in HUB_DATA_DIR, server mode refuses subscriptions. */
  secretKey: string | null;
  /** Limit for establishing the connection (DNS, TCP, TLS) of one attempt. */
  connectTimeoutMs: number;
  /** Limit for one whole attempt: connect, send, and read the (capped) answer. */
  timeoutMs: number;
  /** Attempts per delivery, the first included; with the default base delay they span about a day. */
  attempts: number;
  /** First retry delay; doubles per attempt up to 720 times this (6 h at the default), with jitter. */
  retryBaseMs: number;
  /** A subscription whose deliveries failed on this many UTC days in a row, with no success between, is disabled. */
  disableAfterDays: number;
  /** How often the dispatcher turns new events into delivery jobs. */
  dispatchEveryMs: number;
  /** After a rotation, the old secret still signs (next to the new one) for this long. */
  secretOverlapMs: number;
}>;

export const METRICS_ACCESS = ['off', 'public', 'token'] as const;
export type MetricsAccess = (typeof METRICS_ACCESS)[number];

export type RateLimits = Readonly<{
  /** 401 answers to requests that carried credentials, per client address. */
  authFailures: number;
  /** Searches (GET /v1/software with a query or filters, /v1/search/suggest), per client address. */
  search: number;
  /** POST, PUT, PATCH and DELETE, per token (per address without one). */
  writes: number;
  /** Incoming forge webhooks, per sending address. */
  webhooks: number;
}>;

export class ConfigError extends Error {}

/** pino's levels; anything else makes pino throw at the first log line, long after the check. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
  }
  return value;
}

function optionalPort(env: Env, name: string): number | null {
  return env[name] === undefined || env[name] === '' ? null : integer(env, name, 0, 1, 65535);
}

function flag(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got "${env[name]}"`);
}

function url(env: Env, name: string, protocols: string[]): string | null {
  const raw = env[name]?.trim();
  if (!raw) return null;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(`${name} is not a URL: "${raw}"`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(`${name} must use ${protocols.join(' or ')}, got "${parsed.protocol}"`);
  }
  return raw;
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if ((allowed as readonly string[]).includes(raw)) return raw as T;
  throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got "${env[name]}"`);
}

/** An address to listen on: an IP address or a host name (letters, digits, dots, hyphens). */
function listenHost(env: Env, name: string, fallback: string): string {
  const raw = text(env, name);
  if (raw === null) return fallback;
  if (isIP(raw) || /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i.test(raw)) return raw;
  throw new ConfigError(`${name} must be an IP address or a host name, got "${raw}"`);
}

function proxyTrust(env: Env, name: string): boolean | number | string {
  const raw = text(env, name);
  if (raw === null) return false;
  if (/^\d+$/.test(raw)) return integer(env, name, 0, 1, 10);
  if (/^(true|false|yes|no|on|off)$/i.test(raw)) return flag(env, name, false);
  const parts = raw.split(',').map((part) => part.trim());
  const bad = parts.find((part) => {
    const [address, prefix] = part.split('/');
    return !isIP(address ?? '') || (prefix !== undefined && !/^\d{1,3}$/.test(prefix));
  });
  if (bad !== undefined) throw new ConfigError(`${name} must be true, false, a hop count or addresses/CIDR ranges separated by commas, got "${bad}"`);
  return parts.join(',');
}

function text(env: Env, name: string): string | null {
  const raw = env[name]?.trim();
  return raw ? raw : null;
}

export function loadConfig(env: Env = process.env): Config {
  const adminToken = text(env, 'HUB_ADMIN_TOKEN');
  // A short admin secret is guessable; 16 characters is the floor we accept.
  if (adminToken !== null && adminToken.length < 16) {
    throw new ConfigError('HUB_ADMIN_TOKEN must be at least 16 characters long');
  }
  const publicUrl = url(env, 'HUB_PUBLIC_URL', ['http:', 'https:']);
  const federation = flag(env, 'HUB_FEDERATION', false);
  // The public URL is the hub's identity in every signature and record id; a guessed one
  // (from the Host header) would change with each proxy and break every peer's pins.
  if (federation && publicUrl === null) {
    throw new ConfigError('HUB_FEDERATION=true needs HUB_PUBLIC_URL: the public base URL is the hub\'s id towards its peers');
  }
  return Object.freeze({
    port: integer(env, 'PORT', 8080, 0, 65535),
    host: listenHost(env, 'HOST', '0.0.0.0'),
    databaseUrl: url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']),
    redisUrl: url(env, 'REDIS_URL', ['redis:', 'rediss:']),
    queuePrefix: text(env, 'HUB_QUEUE_PREFIX') ?? 'transferhub',
    dataDir: resolve(text(env, 'HUB_DATA_DIR') ?? './data'),
    demo: flag(env, 'HUB_DEMO', true),
    demoCrawl: flag(env, 'HUB_DEMO_CRAWL', true),
    adminToken,
    logLevel: oneOf(env, 'LOG_LEVEL', LOG_LEVELS, 'info'),
    // 1 MiB: a README or publiccode.yml pushed by CI stays far below it.
    bodyLimit: integer(env, 'HUB_BODY_LIMIT', 1024 * 1024, 1024, 64 * 1024 * 1024),
    allowPrivateHosts: flag(env, 'HUB_ALLOW_PRIVATE_HOSTS', false),
    crawlIntervalMinutes: integer(env, 'HUB_CRAWL_INTERVAL_MINUTES', 24 * 60, 1, 30 * 24 * 60),
    // Crawls are I/O-bound (network, git); 4 per worker process keeps a 2-core box busy without thrashing.
    workerConcurrency: integer(env, 'HUB_WORKER_CONCURRENCY', 4, 1, 64),
    // 30 s: BullMQ's default; running crawls renew their lock at half of it.
    workerLockMs: integer(env, 'HUB_WORKER_LOCK_SECONDS', 30, 1, 3600) * 1000,
    // 200 MiB: the depth-1 pack of a large municipal monorepo; anything bigger is not a code project we can read.
    crawlMaxPackBytes: integer(env, 'HUB_CRAWL_MAX_PACK_MB', 200, 1, 10_000) * 1024 * 1024,
    // 1 MiB: READMEs, licence texts and publiccode.yml files are far smaller; bigger blobs are skipped.
    crawlMaxBlobBytes: integer(env, 'HUB_CRAWL_MAX_BLOB_KB', 1024, 1, 1024 * 1024) * 1024,
    // 256 MiB for all crawls of a process together: a partial fetch of a municipal repository
    // holds a few MiB, so four crawls at once fit many times; a repository of deltas that inflates
    // to gigabytes stops at the cap (issue 10 #2).
    crawlMemoryBytes: integer(env, 'HUB_CRAWL_MEMORY_MB', 256, 16, 64 * 1024) * 1024 * 1024,
    // 4 KiB/s after 20 s: a depth-1 fetch starts within seconds on every forge (20 s leaves room
    // for a busy host packing a large repository), and 4 KiB/s is a modem's pace; a host dribbling
    // one byte per second is cut after 20 s instead of holding a crawl slot for 5 minutes.
    crawlMinBytesPerSecond: integer(env, 'HUB_CRAWL_MIN_RATE_KB', 4, 0, 1024 * 1024) * 1024,
    crawlGraceMs: integer(env, 'HUB_CRAWL_GRACE_SECONDS', 20, 1, 3600) * 1000,
    // 30 s: two small requests (the advertisement and ls-refs); forges answer them in well under a second.
    crawlRefsTimeoutMs: integer(env, 'HUB_CRAWL_REFS_TIMEOUT_SECONDS', 30, 1, 3600) * 1000,
    // 16 MiB of JSON: ~400 result pages with facets, about 30 MB in memory. Popular queries are a
    // short list; at 32 MiB the long tail filled the cache and the API peaked at 298 MB RSS after
    // 1,000 distinct queries, at 16 MiB at 287 MB (issue 13's limit is 300 MB).
    searchCacheBytes: integer(env, 'HUB_SEARCH_CACHE_MB', 16, 0, 4096) * 1024 * 1024,
    // On: searches answered by the in-process index (src/domain/search/README.md), loaded at the first search.
    searchIndex: flag(env, 'HUB_SEARCH_INDEX', true),
    // 250 ms: a search within it of the last catch-up asks the database nothing (2.5 times the
    // throughput of a popular query); another process's write is seen within it, well inside the
    // second issue 13 allows. This process's writes are seen at once (http/plugins/search-freshness.ts).
    searchIndexLagMs: integer(env, 'HUB_SEARCH_INDEX_LAG_MS', 250, 0, 1000),
    // 50 %: V8's heap stays near its live objects instead of 2.5 times them (src/lib/heap-growth.ts).
    heapGrowthPercent: integer(env, 'HUB_HEAP_GROWTH_PERCENT', 50, 0, 1000),
    trustProxy: proxyTrust(env, 'HUB_TRUST_PROXY'),
    rateLimits: flag(env, 'HUB_RATE_LIMITS', true)
      ? Object.freeze({
          // 20 per minute: a person mistyping or a CI job with a revoked token fails a few times;
          // 20 guesses a minute make guessing a 256-bit token hopeless and end a 270/s scan at once.
          authFailures: integer(env, 'HUB_RATE_LIMIT_AUTH_FAILURES', 20, 1, 1_000_000),
          // 600 per minute: 10 a second, far above a person typing into the search field
          // (suggestions per key stroke) and a catalogue widget, far below a crawl of all facet combinations.
          search: integer(env, 'HUB_RATE_LIMIT_SEARCH', 600, 1, 1_000_000),
          // 300 per minute: a CI pipeline publishing a release makes a few requests; 5 a second sustained
          // still lets a script import a catalogue of hundreds of entries within minutes.
          writes: integer(env, 'HUB_RATE_LIMIT_WRITES', 300, 1, 1_000_000),
          // 600 per minute: one forge sends every organisation's pushes from a few addresses.
          webhooks: integer(env, 'HUB_RATE_LIMIT_WEBHOOKS', 600, 1, 1_000_000),
        })
      : null,
    githubToken: text(env, 'GITHUB_TOKEN'),
    githubApiUrl: url(env, 'GITHUB_API_URL', ['http:', 'https:']) ?? 'https://api.github.com',
    gitlabToken: text(env, 'GITLAB_TOKEN'),
    publicUrl,
    federation,
    federationNotifyMs: integer(env, 'HUB_FEDERATION_NOTIFY_MS', 500, 0, 60_000),
    // 25 s: below the 30 s that `docker stop` and Kubernetes wait before SIGKILL, so the process
    // ends on its own terms and says what it was still waiting for.
    shutdownTimeoutMs: integer(env, 'HUB_SHUTDOWN_TIMEOUT_SECONDS', 25, 1, 3600) * 1000,
    // The token by default: route names, queue depths and process figures tell an outsider about load and layout.
    metrics: oneOf(env, 'HUB_METRICS', METRICS_ACCESS, 'token'),
    pgBinDir: text(env, 'HUB_PG_BIN_DIR'),
    // Off unless set: an extra port answers without a token, so it must be one the operator keeps internal.
    metricsPort: optionalPort(env, 'HUB_METRICS_PORT'),
    workerMetricsPort: optionalPort(env, 'HUB_WORKER_METRICS_PORT'),
    webhooks: webhookSettings(env),
  });
}

function webhookSettings(env: Env): WebhookSettings {
  const secretKey = text(env, 'HUB_WEBHOOK_SECRET_KEY');
  // 32 characters: the key is hashed to 256 bits; a shorter passphrase would be the weak link.
  if (secretKey !== null && secretKey.length < 32) throw new ConfigError('HUB_WEBHOOK_SECRET_KEY must be at least 32 characters long');
  return Object.freeze({
    secretKey,
    // 5 s to connect: a reachable endpoint answers a TCP/TLS handshake in well under a second.
    connectTimeoutMs: integer(env, 'HUB_WEBHOOK_CONNECT_TIMEOUT_SECONDS', 5, 1, 60) * 1000,
    // 15 s in all: receivers should acknowledge at once and work later (Standard Webhooks advice);
    // a slow endpoint must not hold a delivery slot for minutes.
    timeoutMs: integer(env, 'HUB_WEBHOOK_TIMEOUT_SECONDS', 15, 1, 300) * 1000,
    // 14 attempts at 30 s doubling, capped at 6 h: 30 s … 4.3 h, then 6 h thrice ≈ 26 h in all.
    attempts: integer(env, 'HUB_WEBHOOK_ATTEMPTS', 14, 1, 50),
    retryBaseMs: integer(env, 'HUB_WEBHOOK_RETRY_BASE_MS', 30_000, 10, 3_600_000),
    // 5 days: an endpoint down over a long weekend survives; one gone for a week is switched off.
    disableAfterDays: integer(env, 'HUB_WEBHOOK_DISABLE_AFTER_DAYS', 5, 1, 60),
    // 5 s: events reach receivers within seconds; an empty outbox costs one indexed query per tick.
    dispatchEveryMs: integer(env, 'HUB_WEBHOOK_DISPATCH_SECONDS', 5, 1, 3600) * 1000,
    // 24 h: time for a receiver to deploy the new secret while both signatures are sent.
    secretOverlapMs: integer(env, 'HUB_WEBHOOK_SECRET_OVERLAP_HOURS', 24, 0, 24 * 30) * 3_600_000,
  });
}

/**
 * loadConfig for a process entry point (API, worker, CLI scripts): a bad setting is the operator's
 * mistake, not a crash, so it is one plain line on stderr and exit code 2 (usage error), no stack trace.
 */
export function loadConfigOrExit(env: Env = process.env): Config {
  try {
    return loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`transferhub: configuration error / Konfigurationsfehler: ${error.message}\n`);
    process.exit(2);
  }
}
