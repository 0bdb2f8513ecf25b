import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { HubContext } from '../context';
import { crawlMetricsOf } from '../crawl/crawl-metrics';
import { crawlStateCounts } from '../crawl/crawl-stats.service';
import { ALL_JOBS } from '../../jobs/all-jobs';

/**
 * The figures every hub process has, the API and the workers alike: process (CPU, memory, GC,
 * event-loop lag), job queues (depth per state, age of the oldest waiting job), repositories
 * per crawl state, the database pool, and the crawls this process ran. A registry per hub, not
 * prom-client's global one: several hubs in one process (tests) keep their own figures.
 * Everything read from Redis or the database is read at scrape time, and a dependency that is
 * away leaves its series out instead of failing the scrape.
 */
export function createHubMetrics(hub: HubContext): Registry {
  const registry = new Registry();
  // nodejs_eventloop_lag_seconds and its percentiles come with the default metrics.
  collectDefaultMetrics({ register: registry });
  new Gauge({
    name: 'job_queue_depth',
    help: 'Jobs per queue and state (waiting, active, delayed) at scrape time',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const contract of ALL_JOBS) {
        const depth = await hub.queue.depth(contract).catch(() => null);
        if (!depth) continue;
        for (const [state, count] of Object.entries(depth)) this.set({ queue: contract.name, state }, count);
      }
    },
  });
  new Gauge({
    name: 'job_queue_oldest_waiting_seconds',
    help: 'Seconds the oldest job ready to run has waited for a worker, per queue (0 when none waits)',
    labelNames: ['queue'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const contract of ALL_JOBS) {
        const age = await hub.queue.oldestWaiting(contract).catch(() => undefined);
        if (age !== undefined) this.set({ queue: contract.name }, age ?? 0);
      }
    },
  });
  new Gauge({
    name: 'repositories_by_crawl_state',
    help: 'Repositories by the state of their last crawl (queued, running, succeeded, unchanged, failed)',
    labelNames: ['state'],
    registers: [registry],
    async collect() {
      this.reset();
      const counts = await crawlStateCounts(hub.db).catch(() => null);
      if (!counts) return;
      for (const [state, value] of Object.entries(counts)) this.set({ state }, value);
    },
  });
  if (hub.databasePool) {
    const pool = hub.databasePool;
    new Gauge({
      name: 'db_pool_connections',
      help: 'PostgreSQL pool connections: total open, idle, and the pool maximum',
      labelNames: ['state'],
      registers: [registry],
      collect() {
        const use = pool();
        this.set({ state: 'total' }, use.total);
        this.set({ state: 'idle' }, use.idle);
        this.set({ state: 'max' }, use.max);
      },
    });
    new Gauge({
      name: 'db_pool_waiting_requests',
      help: 'Queries waiting for a free pool connection (above 0 for long: the pool is too small or the database slow)',
      registers: [registry],
      collect() {
        this.set(pool().waiting);
      },
    });
  }
  const crawls = crawlMetricsOf(hub.db);
  registry.registerMetric(crawls.outcomes);
  registry.registerMetric(crawls.durations);
  return registry;
}
