import type { Db } from '../../db/client';
import { catalogueRevision } from '../../db/queries/search.queries';
import { answerKey, type AnswerCache } from './answer-cache';
import type { SearchIndex } from './index/search-index';

/** What search needs of the hub context: the database, the answer cache and the in-process index (null or absent: off). */
export type SearchContext = { db: Db; searchCache?: AnswerCache | null; searchIndex?: SearchIndex | null };

/** From the answer cache under the current catalogue revision, or computed when the cache is off. */
export async function answered<T extends object>(
  hub: SearchContext,
  input: { kind: string; request: Record<string, unknown> },
  compute: () => Promise<T>,
): Promise<T> {
  const cache = hub.searchCache;
  if (!cache) return compute();
  return cache.through(await catalogueRevision(hub.db), answerKey(input.kind, input.request), compute);
}
