import { LRUCache } from 'lru-cache';

/**
 * Search and suggestion answers by request, kept for one catalogue revision (migration
 * 0004_search_revision: every committed write to what search reads moves it on). A request reads
 * the revision before its statements run, so an answer filed under a revision reflects at least
 * that revision (possibly a write committed meanwhile, never less), and it is served only while
 * no later write is seen: the first request that reads another revision empties the cache. A
 * revision lower than the last one seen (a restored database, or a request that read just before
 * a commit) empties it too. Concurrent identical misses share one computation. The same idea as
 * Solr's queryResultCache or Elasticsearch's request cache, which are dropped on every commit or refresh.
 */
export class AnswerCache {
  private revision: bigint = -1n;
  private readonly answers: LRUCache<string, Buffer>;
  private readonly computing = new Map<string, Promise<object>>();
  /** Answers served without computing (a filed answer or a shared computation), and computations; GET /metrics reads them. */
  hits = 0;
  misses = 0;

  /** maxBytes: the answers' size as UTF-8 JSON text, as they are kept. */
  constructor(maxBytes: number) {
    this.answers = new LRUCache<string, Buffer>({ maxSize: maxBytes, sizeCalculation: (text) => text.byteLength || 1 });
  }

  async through<T extends object>(revision: string, key: string, compute: () => Promise<T>): Promise<T> {
    const seen = BigInt(revision);
    if (seen !== this.revision) {
      this.answers.clear();
      this.revision = seen;
    }
    const filed = this.answers.get(key);
    if (filed !== undefined) {
      this.hits++;
      return JSON.parse(filed.toString('utf8')) as T;
    }
    const flight = `${revision}\n${key}`;
    const pending = this.computing.get(flight) as Promise<T> | undefined;
    if (pending) {
      this.hits++;
      return pending;
    }
    this.misses++;
    const computed = compute();
    this.computing.set(flight, computed);
    try {
      const answer = await computed;
      // Another revision may have been seen while computing; then this answer is not filed.
      if (this.revision === seen) this.answers.set(key, Buffer.from(JSON.stringify(answer), 'utf8'));
      return answer;
    } finally {
      this.computing.delete(flight);
    }
  }

  get size() {
    return this.answers.size;
  }
}

/** The cache for HUB_SEARCH_CACHE_MB (deps.ts puts it on the hub context); 0 leaves it off. */
export function createAnswerCache(maxBytes: number): AnswerCache | null {
  return maxBytes > 0 ? new AnswerCache(maxBytes) : null;
}

/** A key that does not depend on the order properties were set in; undefined values are left out. */
export function answerKey(kind: string, input: Record<string, unknown>): string {
  const entries = Object.entries(input)
    .filter(([, value]) => value !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `${kind}:${JSON.stringify(entries)}`;
}
