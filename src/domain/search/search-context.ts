import type { Db } from '../../db/client';
import { catalogueRevision } from '../../db/queries/search.queries';
import { answerKey, type AnswerCache } from './answer-cache';
import type { SearchIndex } from './index/search-index';

/** What search needs of the hub context: the database, the answer cache and the in-process index (null or absent: off). */
export type SearchContext = { db: Db; searchCache?: AnswerCache | null; searchIndex?: SearchIndex | null };

/**
 * From the answer cache under the current catalogue revision, or computed when the cache is off.
 * `revision`: the revision the answer is computed at, when the caller has read it already (the
 * search index's catch-up reads it with the changes); otherwise it is read here.
 */
export async function answered<T extends object>(
  hub: SearchContext,
  input: { kind: string; request: Record<string, unknown>; revision?: bigint },
  compute: () => Promise<T>,
): Promise<T> {
  const cache = hub.searchCache;
  if (!cache) return compute();
  const revision = input.revision === undefined ? await catalogueRevision(hub.db) : String(input.revision);
  return cache.through(revision, answerKey(input.kind, input.request), compute);
}
