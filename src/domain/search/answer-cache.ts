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
 *
 * Answers are filed as their JSON text in UTF-8 buffers and parsed on a hit. As objects, or as
 * JavaScript strings (two bytes per character once a text holds a character beyond Latin-1, such
 * as a dash), they took about twice the text's size of heap, and V8 grows its heap half again past
 * what lives in it: a long tail that filled 16 MB of answers added ~30 MB to the API's resident
 * memory. A buffer is kept outside V8's heap at its exact size; parsing a page of 20 entries with
 * facets costs a fraction of a millisecond. Every hit gets its own copy, so a caller that changes
 * an answer changes no other request's. Answers therefore hold only JSON values (strings for
 * dates), as the API sends them.
 *
 * An answer is filed from its second request on (a doorkeeper, as in TinyLFU admission): most
 * requests of a long tail come once, and filing them cost a serialisation each and filled the
 * cache with answers nobody asks again, pushing out the ones people repeat. The keys seen once are
 * kept per revision, at most SEEN_KEYS of them (a few hundred bytes each).
 */
const SEEN_KEYS = 10_000;

export class AnswerCache {
  private revision: bigint = -1n;
  private readonly answers: LRUCache<string, Buffer>;
  private readonly computing = new Map<string, Promise<object>>();
  /** Keys asked for once under this revision: the next request for one files its answer. */
  private readonly seenOnce = new LRUCache<string, true>({ max: SEEN_KEYS });
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
      this.seenOnce.clear();
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
    const admitted = this.seenOnce.delete(key);
    if (!admitted) this.seenOnce.set(key, true);
    const computed = compute();
    this.computing.set(flight, computed);
    try {
      const answer = await computed;
      // Another revision may have been seen while computing; then this answer is not filed.
      if (admitted && this.revision === seen) this.answers.set(key, Buffer.from(JSON.stringify(answer), 'utf8'));
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
