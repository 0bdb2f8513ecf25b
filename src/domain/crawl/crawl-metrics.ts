import { Counter, Histogram } from 'prom-client';

export type CrawlOutcomeLabel = 'succeeded' | 'unchanged' | 'skipped' | 'failed' | 'retrying';

/**
 * Seconds: an unchanged repository answers its refs in well under a second, a first crawl of a
 * large one takes minutes (the crawl's own limits end it at HUB_CRAWL_* bounds), so the buckets
 * run from 0.1 s to 5 min.
 */
const CRAWL_BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

type CrawlMetrics = { outcomes: Counter<'outcome'>; durations: Histogram<'outcome'> };

/** Per database handle, like the answer cache: several hubs in one process (tests) count apart. */
const byHub = new WeakMap<object, CrawlMetrics>();

/** The crawl figures of the process running the crawls (the API in embedded mode, a worker in server mode), registered by whoever serves them. */
export function crawlMetricsOf(db: object): CrawlMetrics {
  let metrics = byHub.get(db);
  if (!metrics) {
    metrics = {
      outcomes: new Counter({
        name: 'crawl_outcomes_total',
        help: 'Finished crawl attempts by outcome (succeeded, unchanged, skipped, failed: no more attempts, retrying: tried again later)',
        labelNames: ['outcome'],
        registers: [],
      }),
      durations: new Histogram({
        name: 'crawl_duration_seconds',
        help: 'Duration of crawl attempts by outcome',
        labelNames: ['outcome'],
        buckets: CRAWL_BUCKETS,
        registers: [],
      }),
    };
    byHub.set(db, metrics);
  }
  return metrics;
}

export function observeCrawl(db: object, outcome: CrawlOutcomeLabel, seconds: number): void {
  const metrics = crawlMetricsOf(db);
  metrics.outcomes.inc({ outcome });
  metrics.durations.observe({ outcome }, seconds);
}
