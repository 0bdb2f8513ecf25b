import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { HubContext } from '../../domain/context';
import { requireAdmin } from '../../domain/auth/principal';
import { crawlStateCounts } from '../../domain/crawl/crawl-stats.service';
import { ALL_JOBS } from '../../jobs/all-jobs';

/**
 * Seconds: from a 5 ms cache hit to a 10 s crawl-heavy write; Prometheus' default buckets
 * stop at 10 s as well, with finer steps below 100 ms where most reads answer.
 */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * `GET /metrics` in Prometheus text format (HUB_METRICS). A registry per app, not prom-client's
 * global one: several apps in one process (tests, API next to an embedded runner) keep their own figures.
 */
async function metricsPlugin(app: FastifyInstance, { hub }: { hub: HubContext }) {
  if (hub.config.metrics === 'off') return;
  const registry = new Registry();
  // Process figures (CPU, memory, handles, GC, event-loop lag) are read at scrape time.
  collectDefaultMetrics({ register: registry });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route pattern and status code',
    labelNames: ['method', 'route', 'status_code'],
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  new Counter({
    name: 'search_answer_cache_requests_total',
    help: 'Search and suggestion answers by cache result (hit: served without computing; miss: computed)',
    labelNames: ['result'],
    registers: [registry],
    // Read from the cache at scrape time; absent when HUB_SEARCH_CACHE_MB=0.
    collect() {
      const cache = hub.searchCache;
      if (!cache) return;
      this.reset();
      this.inc({ result: 'hit' }, cache.hits);
      this.inc({ result: 'miss' }, cache.misses);
    },
  });
  new Gauge({
    name: 'job_queue_depth',
    help: 'Jobs per queue and state (waiting, active, delayed) at scrape time',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const contract of ALL_JOBS) {
        // Redis away (server mode): the queue series are left out instead of failing the whole scrape.
        const depth = await hub.queue.depth(contract).catch(() => null);
        if (!depth) continue;
        for (const [state, count] of Object.entries(depth)) this.set({ queue: contract.name, state }, count);
      }
    },
  });
  new Gauge({
    name: 'repositories_by_crawl_state',
    help: "Repositories by the state of their last crawl (queued, running, succeeded, unchanged, failed)",
    labelNames: ['state'],
    registers: [registry],
    async collect() {
      this.reset();
      // Database away: the series are left out instead of failing the whole scrape.
      const counts = await crawlStateCounts(hub.db).catch(() => null);
      if (!counts) return;
      for (const [state, value] of Object.entries(counts)) this.set({ state }, value);
    },
  });

  app.addHook('onResponse', async (request, reply) => {
    // The route pattern, never the raw URL: ids in paths would make a series per resource.
    // Unrouted requests (404) share one label so scanners cannot grow the series without bound.
    const route = request.routeOptions.url ?? 'unmatched';
    duration.observe({ method: request.method, route, status_code: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });

  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    if (hub.config.metrics === 'token') requireAdmin(request.principal);
    return reply.type(registry.contentType).send(await registry.metrics());
  });
}

export default fp(metricsPlugin, { name: 'metrics', dependencies: ['auth'] });
