import type { Db } from '../../db/client';
import {
  everyWordFound,
  facetCounts,
  searchHitsByIds,
  searchSoftwareRanked,
  type MatchedVectors,
  type RankKey,
  type SearchFilter,
  type SearchHitRow,
  type TextQuery,
  type Tier,
} from '../../db/queries/search.queries';
import { IndexQuery } from './index/index-query';
import type { IndexState } from './index/index-state';
import { facetsFrom, type Facets } from './presentation';
import { databaseWords, type Words } from './text-query';

/**
 * Where a search's hits and facet counts come from: the database's statements, or the in-process
 * index (src/domain/search/index/) with the page's rows read from the database by id. The flow
 * (search.service.ts) is the same for both.
 */
export type SearchEngine = {
  words: Words;
  ranked(input: { text: TextQuery; filter: SearchFilter; tiers: readonly Tier[]; after?: RankKey; limit: number; rare?: boolean; sorted?: boolean }): Promise<RankedHit[]>;
  /** The rows of the hits a page shows, in their order. */
  rows(hits: RankedHit[]): Promise<SearchHitRow[]>;
  everyWordFound(text: TextQuery): Promise<boolean>;
  facets(input: { text: TextQuery | null; filter: SearchFilter; pageFull: boolean }): Promise<Facets>;
};

/**
 * A hit's place in a ranking; its row (summary, matched fields) is read for the page's hits only.
 * `any`: the OR of the words that found it; `matched`: the vectors they are in, when the index ranked it.
 */
export type RankedHit = { id: string; slug: string; score: string; tier: Tier; any: string; row?: SearchHitRow; matched?: MatchedVectors };

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
    words: databaseWords(db),
    ranked: async (input) =>
      (await searchSoftwareRanked(db, input)).map((row) => ({ id: row.id, slug: row.slug, score: row.score, tier: row.tier, any: input.text.any, row })),
    rows: async (hits) => hits.map((hit) => hit.row!),
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
    words: state.words(db),
    // Matched vectors are taken with the ranking, from the slots as they are now: a catch-up of the
    // index before the page's rows are read may move an entry to another slot.
    ranked: async (input) =>
      query.ranked(input).map(({ tier, doc, slot }) => ({
        id: doc.id,
        slug: doc.slug,
        score: (tier + doc.boost / 1_000_000).toFixed(6),
        tier,
        any: input.text.any,
        matched: query.matched(input.text.any, slot, tier),
      })),
    rows: (hits) => searchHitsByIds(db, hits.map((hit) => ({ tier: hit.tier, softwareId: hit.id, any: hit.any, matched: hit.matched! }))),
    everyWordFound: async (text) => query.everyWordFound(text),
    facets: async (input) => facetsFrom(query.facetCounts({ text: input.text, filter: input.filter, maxValues: FACET_VALUES }).rows),
  };
}
