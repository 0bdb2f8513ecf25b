import type { Redis } from 'ioredis';
import type { HubContext } from '../src/domain/context';
import { requeueInterruptedCrawls } from '../src/domain/crawl/reconcile.service';
import { restoreCrawlScheduler } from '../src/jobs/schedule-crawls.job';
import { ensureWebhookDispatcher } from '../src/jobs/dispatch-webhooks.job';
import { restoreNeedMatchScheduler } from '../src/jobs/match-needs.job';
import { restoreBoostExpiryScheduler } from '../src/jobs/expire-search-boosts.job';
import { ensurePullSchedulers } from '../src/domain/federation/pull-job';
import { restoreLogCompactionScheduler } from '../src/jobs/compact-federation-log.job';

// 60 s: a scheduler lost without a reconnect (FLUSHALL, a failover to an empty replica) is back
// within a minute; the refresh interval is hours, so no round is missed.
const CHECK_EVERY_MS = 60_000;
// 1 s between tries while Redis or PostgreSQL is still away at start or after a reconnect.
const RETRY_MS = 1000;

/**
 * What a worker process keeps whole in server mode: the refresh scheduler exists, and crawls a
 * fault left "queued" or "running" are queued again. Done at start and every time the worker's
 * Redis connection comes back (Redis may have lost its data meanwhile), retried until it works;
 * the scheduler is also checked every minute.
 */
export function keepQueuesWhole(hub: HubContext, connection: Redis): { ready: Promise<void>; stop(): void } {
  const log = hub.logger;
  let stopped = false;
  let round: Promise<void> | null = null;

  const reconcile = async () => {
    for (let attempt = 1; !stopped; attempt++) {
      try {
        if (await restoreCrawlScheduler(hub.queue, hub.config.crawlIntervalMinutes)) log.info('crawl scheduler (re-)created');
        // Upserted every round: idempotent, and a changed HUB_WEBHOOK_DISPATCH_SECONDS takes effect.
        await ensureWebhookDispatcher(hub.queue, hub.config.webhooks.dispatchEveryMs);
        if (await restoreNeedMatchScheduler(hub.queue)) log.info('need re-matching scheduler (re-)created');
        if (await restoreBoostExpiryScheduler(hub.queue)) log.info('search boost expiry scheduler (re-)created');
        // One scheduler per pullable peer (upserted: a changed interval or a degraded peer takes effect).
        await ensurePullSchedulers(hub);
        if (hub.federationKeys && (await restoreLogCompactionScheduler(hub.queue))) log.info('federation log compaction scheduler (re-)created');
        const requeued = await requeueInterruptedCrawls(hub);
        if (requeued > 0) log.info({ requeued }, 'queued again the crawls a fault left queued or running');
        return;
      } catch (err) {
        if (attempt === 1 || attempt % 30 === 0) log.warn({ err, attempt }, 'reconciling the queues failed, retrying');
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
      }
    }
  };
  const run = () => (round ??= reconcile().finally(() => (round = null)));

  let connectedBefore = connection.status === 'ready';
  const onReady = () => {
    // The first 'ready' is the start, reconciled below; later ones are reconnects.
    if (connectedBefore) void run();
    connectedBefore = true;
  };
  connection.on('ready', onReady);
  const timer = setInterval(() => {
    restoreCrawlScheduler(hub.queue, hub.config.crawlIntervalMinutes)
      .then((created) => created && log.warn('crawl scheduler was missing (Redis lost its data?), re-created'))
      .catch(() => {});
    ensureWebhookDispatcher(hub.queue, hub.config.webhooks.dispatchEveryMs).catch(() => {});
  }, CHECK_EVERY_MS);
  timer.unref();
  return {
    ready: run(),
    stop: () => {
      stopped = true;
      clearInterval(timer);
      connection.off('ready', onReady);
    },
  };
}
