import type { Db } from '../../db/client';
import {
  everyWordFound,
  facetCounts,
  searchHitsByIds,
  searchSoftwareRanked,
  type RankKey,
  type SearchFilter,
  type SearchHitRow,
  type TextQuery,
  type Tier,
} from '../../db/queries/search.queries';
import { IndexQuery } from './index/index-query';
import type { IndexState } from './index/index-state';
import { facetsFrom, type Facets } from './presentation';

/**
 * Where a search's hits and facet counts come from: the database's statements, or the in-process
 * index (src/domain/search/index/) with the page's rows read from the database by id. The flow
 * (search.service.ts) is the same for both.
 */
export type SearchEngine = {
  ranked(input: { text: TextQuery; filter: SearchFilter; tiers: readonly Tier[]; after?: RankKey; limit: number; rare?: boolean; sorted?: boolean }): Promise<SearchHitRow[]>;
  everyWordFound(text: TextQuery): Promise<boolean>;
  facets(input: { text: TextQuery | null; filter: SearchFilter; pageFull: boolean }): Promise<Facets>;
};

/** Values shown per facet (categories can be many). */
const FACET_VALUES = 30;
/**
 * Facets are counted on a 1/32 sample (facetCounts) when the sample holds at least this many
 * matching entries, i.e. the query matches ~6 400 or more: the counts' relative error is then a few
 * per cent (1/sqrt(n)), while exact counting costs ~0.04 ms per matching entry (2.4 s for "Daten",
 * 61 660 entries, on the loaded bench machine). Smaller matches are counted exactly.
 */
const MIN_SAMPLED = 200;

export function databaseEngine(db: Db): SearchEngine {
  return {
    ranked: (input) => searchSoftwareRanked(db, input),
    everyWordFound: (text) => everyWordFound(db, text),
    // Exact, or sampled and marked approximate when the query matches a large part of the
    // catalogue. Only a full page can be such a query; its sample decides.
    async facets(input) {
      if (input.pageFull) {
        const sampled = await facetCounts(db, { text: input.text, filter: input.filter, maxValues: FACET_VALUES, sample: true });
        if (sampled.matched >= MIN_SAMPLED) return facetsFrom(sampled.rows, { approximate: true });
      }
      return facetsFrom((await facetCounts(db, { text: input.text, filter: input.filter, maxValues: FACET_VALUES })).rows);
    },
  };
}

/** The index answers which entries and in which order; the database shows the page's rows. Facets are always exact. */
export function indexEngine(db: Db, state: IndexState): SearchEngine {
  const query = new IndexQuery(state);
  return {
    ranked: async (input) => searchHitsByIds(db, { any: input.text.any, hits: query.ranked(input) }),
    everyWordFound: async (text) => query.everyWordFound(text),
    facets: async (input) => facetsFrom(query.facetCounts({ text: input.text, filter: input.filter, maxValues: FACET_VALUES }).rows),
  };
}
