import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Counter, Histogram, type Registry } from 'prom-client';
import type { HubContext } from '../../domain/context';
import { requireAdmin } from '../../domain/auth/principal';
import { createHubMetrics } from '../../domain/metrics/hub-metrics';

/**
 * Seconds: from a 5 ms cache hit to a 10 s crawl-heavy write; Prometheus' default buckets
 * stop at 10 s as well, with finer steps below 100 ms where most reads answer.
 */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

declare module 'fastify' {
  interface FastifyInstance {
    /** The app's metrics, also served on HUB_METRICS_PORT by src/server.ts; null when no one serves them. */
    metricsRegistry: Registry | null;
  }
}

/**
 * `GET /metrics` in Prometheus text format (HUB_METRICS): the hub's figures
 * (src/domain/metrics/hub-metrics.ts) plus request durations and search cache use.
 */
async function metricsPlugin(app: FastifyInstance, { hub }: { hub: HubContext }) {
  if (hub.config.metrics === 'off' && hub.config.metricsPort === null) {
    app.decorate('metricsRegistry', null);
    return;
  }
  const registry = createHubMetrics(hub);
  app.decorate('metricsRegistry', registry);
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

  new Counter({
    name: 'search_index_searches_total',
    help: 'Searches by who answered them (index: the in-process index; database: not loaded yet, or not evaluated by it)',
    labelNames: ['engine'],
    registers: [registry],
    // Absent when HUB_SEARCH_INDEX=false.
    collect() {
      const index = hub.searchIndex;
      if (!index) return;
      this.reset();
      this.inc({ engine: 'index' }, index.answered);
      this.inc({ engine: 'database' }, index.declined);
    },
  });
  new Counter({
    name: 'search_index_loads_total',
    help: 'Loads of the in-process search index (the first search, a truncated table, or more changes than room for them)',
    registers: [registry],
    collect() {
      const index = hub.searchIndex;
      if (!index) return;
      this.reset();
      this.inc(index.loads);
    },
  });

  app.addHook('onResponse', async (request, reply) => {
    // The route pattern, never the raw URL: ids in paths would make a series per resource.
    // Unrouted requests (404) share one label so scanners cannot grow the series without bound.
    const route = request.routeOptions.url ?? 'unmatched';
    duration.observe({ method: request.method, route, status_code: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });

  if (hub.config.metrics === 'off') return;
  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    if (hub.config.metrics === 'token') requireAdmin(request.principal);
    return reply.type(registry.contentType).send(await registry.metrics());
  });
}

export default fp(metricsPlugin, { name: 'metrics', dependencies: ['auth'] });
