import type { Db } from '../../db/client';
import {
  browseSoftware,
  browseSoftwareSorted,
  LOWER_TIERS,
  PRIMARY_TIERS,
  type RankKey,
  type SearchFilter,
  type SoftwareSort,
  type SummaryRow,
  type TextQuery,
  type Tier,
} from '../../db/queries/search.queries';
import { decodeCursor, decodeSortedCursor, encodeCursor, encodeSortedCursor } from '../../lib/cursor';
import { BadRequest } from '../../lib/errors';
import { databaseEngine, indexEngine, type RankedHit, type SearchEngine } from './engine';
import { UnsupportedQuery } from './index/tsquery';
import { facetsFrom, listItemOf, matchedFields, rankingOf, snippetOf, type Facets, type MatchedField, type Ranking, type SoftwareListItem } from './presentation';
import { answered, type SearchContext } from './search-context';
import { anyWord, buildTextQuery, typedWords, type Mode, type Prepared } from './text-query';

/**
 * The search flow: ranked search with q (exact, then corrected, then any of the words), browsing
 * without it, facets with either. How hits are shown is presentation.ts; how words become a
 * query is text-query.ts; the statements are in src/db/queries/search/.
 */

/** "Few hits": below this many exact hits, typo correction is tried. */
const FEW_HITS = 3;

export type { Facets, MatchedField, Ranking };
export { BOOST_SIGNALS } from './presentation';
export { TRANSFER_BANDS, type TransferBand } from '../../db/queries/search.queries';

export type SearchInput = SearchFilter & {
  q?: string;
  /** Only without q: a search is ordered by relevance. */
  sort?: SoftwareSort;
  cursor?: string;
  limit: number;
  facets?: boolean;
};

export type SearchItem = SoftwareListItem & {
  search?: { score: number; matched: MatchedField[]; snippet: { field: string; text: string } | null; ranking: Ranking };
};
export type SearchPage = {
  items: SearchItem[];
  nextCursor: string | null;
  facets?: Facets;
  query?: { mode: Mode; corrections: { word: string; terms: string[] }[] };
};

/** A cursor holds [mode, score, slug]; the score is tier (integer part) + boost (fraction). */
function decodeSearchCursor(cursor: string | undefined): { mode: Mode; key: RankKey } | null {
  const key = decodeCursor(cursor, 3);
  if (!key) return null;
  const [mode, score, slug] = key;
  const parts = typeof score === 'string' ? /^([0-4])\.(\d{1,6})$/.exec(score) : null;
  if ((mode !== 'exact' && mode !== 'fuzzy' && mode !== 'partial') || !parts || typeof slug !== 'string') {
    throw new BadRequest('The cursor is not one this API handed out.', [{ field: 'cursor', message: 'invalid cursor' }]);
  }
  return { mode, key: { tier: Number(parts[1]) as Tier, boost: `0.${parts[2]}`, slug } };
}

/**
 * Ranked search (with q) or filtered browsing in slug order (without q), with optional facets;
 * answered from the answer cache while the catalogue revision is the one it was computed for.
 * A GET never writes: expired boosts are recomputed by the expire-search-boosts job.
 */
export async function searchSoftwarePage(hub: SearchContext, input: SearchInput): Promise<SearchPage> {
  // The in-process index when it is loaded and at the current revision (its catch-up reads the
  // revision, which then keys the answer cache: one statement for both); the database otherwise,
  // and for what the index does not evaluate (phrase operators).
  const index = hub.searchIndex;
  const state = index ? await index.current() : null;
  return answered(hub, { kind: 'software', request: input, revision: state?.revision }, async () => {
    if (state) {
      try {
        const page = await computeSearchPage(hub.db, indexEngine(hub.db, state), input);
        index!.answered++;
        return page;
      } catch (error) {
        if (!(error instanceof UnsupportedQuery)) throw error;
      }
    }
    if (index) index.declined++;
    return computeSearchPage(hub.db, databaseEngine(hub.db), input);
  });
}

/** Without a search term: slug order (cursor: the slug), or the requested sort (cursor: sort, key, slug). */
async function browsePage(db: Db, engine: SearchEngine, input: SearchInput): Promise<SearchPage> {
  const { sort, limit } = input;
  let pageRows: SummaryRow[];
  let nextCursor: string | null = null;
  if (sort) {
    const rows = await browseSoftwareSorted(db, { filter: input, sort, after: decodeSortedCursor(input.cursor, sort), limit: limit + 1 });
    pageRows = rows.slice(0, limit);
    const last = rows[limit - 1];
    if (rows.length > limit && last) nextCursor = encodeSortedCursor(sort, { key: last.sort_key, tiebreak: last.slug });
  } else {
    const after = decodeCursor(input.cursor, 1);
    const rows = await browseSoftware(db, { filter: input, afterSlug: after ? String(after[0]) : undefined, limit: limit + 1 });
    pageRows = rows.slice(0, limit);
    if (rows.length > limit) nextCursor = encodeCursor([pageRows.at(-1)!.slug]);
  }
  const page: SearchPage = { items: pageRows.map(listItemOf), nextCursor };
  if (input.facets) page.facets = await engine.facets({ text: null, filter: input, pageFull: nextCursor !== null });
  return page;
}

/**
 * The corrected ranking with the exact hits (fewer than FEW_HITS, or there would be no correction)
 * first, when they all fit on the first page; on a later page (`later`), the corrected ranking
 * without them. When they do not fit (a page of one or two), the corrected ranking as it is.
 */
function exactFirst(corrected: RankedHit[], input: { exact: RankedHit[]; limit: number; later?: boolean }): RankedHit[] {
  const { exact, limit } = input;
  if (exact.length === 0 || exact.length >= FEW_HITS || exact.length >= limit) return corrected;
  const shown = new Set(exact.map((h) => h.slug));
  const rest = corrected.filter((h) => !shown.has(h.slug));
  return input.later ? rest : [...exact, ...rest];
}

async function computeSearchPage(db: Db, engine: SearchEngine, input: SearchInput): Promise<SearchPage> {
  const q = input.q?.trim() ? input.q : undefined;
  if (!q) return browsePage(db, engine, input);

  const cursor = decodeSearchCursor(input.cursor);
  const after = cursor?.key;
  let mode: Mode = cursor?.mode ?? 'exact';
  let prepared = await buildTextQuery(engine.words, q, mode === 'partial' ? 'exact' : mode);
  if (prepared && mode === 'partial') prepared = anyWord(prepared);
  if (!prepared) return { items: [], nextCursor: null, ...(input.facets ? { facets: facetsFrom([]) } : {}), query: { mode, corrections: [] } };
  // Stage 1 (name, short description, features/categories/organisation) on the hot table; stage 2
  // (long description, README) only for the rest of a page stage 1 cannot fill.
  // `as`: the prepared query the text comes from, when not the current one; `more`: rows beyond a
  // page and its look-ahead row, for rows the caller leaves out.
  const run = async (text: TextQuery, options: { partial?: boolean; as?: Prepared; from?: RankKey | null; more?: number } = {}) => {
    const wanted = input.limit + 1 + (options.more ?? 0);
    const current = options.as ?? prepared!;
    const start = options.from === undefined ? after : (options.from ?? undefined);
    // A finished word missing from the vocabulary (not one still being typed: "Parkr" is a prefix
    // of thousands of names) matches few rows: collect its candidates through the GIN indexes.
    const typing = new Set(typedWords(q).flatMap((w, i) => (w.prefix ? [i + 1] : [])));
    // A word still being typed counts as rare when no vocabulary term starts with it ("buergerbeteilgung":
    // its full walk of the rank index took 358 ms).
    // Not for any of the words (partial): that matches at least what the commonest word matches
    // (a candidate list of 21 119 rows for "Wahl Karte", 770 ms).
    const rare =
      !options.partial && current.corrections.length === 0 && current.words.some((w) => !w.known && (!typing.has(w.position) || !w.completes));
    // Several words, or a word with its corrections: sorted, not walked (see searchSoftwareRanked).
    // Only stage 1: the lower tiers' conditions (README vectors) have no index for a sort to start
    // from, and sorting them read all 100 000 rows (3.8 s for "parking noise Veerwaltung").
    const sorted = text.words.length > 1 || current.corrections.length > 0;
    const first = await engine.ranked({ text, filter: input, tiers: PRIMARY_TIERS, after: start, limit: wanted, rare, sorted });
    if (first.length >= wanted) return first;
    // Several words: stage 2 narrows by "some word in the long description/README", which for a
    // misspelt word next to a common one means thousands of README vectors checked for nothing.
    // One probe per word first: a word found nowhere means no exact hit at all.
    if (text.words.length > 1 && !(await engine.everyWordFound(text))) return first;
    // Candidates for stage 2 only for one word: with several, "some word in the long description or
    // README" is as broad as the commonest word (the probe above already stopped misspelt ones).
    const lowerRare = rare && text.words.length === 1;
    const rest = await engine.ranked({ text, filter: input, tiers: LOWER_TIERS, after: start, limit: wanted - first.length, rare: lowerRare });
    return [...first, ...rest];
  };
  // Corrected words and compound endings find more than was typed: the few exact hits come first
  // (page 1), and later pages of the corrected ranking leave them out.
  let hits = await run(prepared.text, { more: after && mode === 'fuzzy' ? FEW_HITS : 0 });
  if (!after && hits.length < FEW_HITS) {
    const fuzzy = await buildTextQuery(engine.words, q, 'fuzzy', prepared.words);
    if (fuzzy && fuzzy.corrections.length > 0) {
      mode = 'fuzzy';
      prepared = fuzzy;
      hits = exactFirst(await run(fuzzy.text), { exact: hits, limit: input.limit });
    }
  } else if (after && mode === 'fuzzy') {
    const exact = await buildTextQuery(engine.words, q, 'exact', prepared.words);
    const exactHits = exact ? await run(exact.text, { as: exact, from: null }) : [];
    hits = exactFirst(hits, { exact: exactHits, limit: input.limit, later: true });
  }
  // Several words and no entry with all of them ("Bürger App"): entries with any of them, so a
  // search never ends empty while single words would find something. From the words as typed.
  if (!after && hits.length === 0 && prepared.text.words.length > 1) {
    const exact = mode === 'exact' ? prepared : await buildTextQuery(engine.words, q, 'exact', prepared.words);
    if (exact) {
      const partial = anyWord(exact);
      const partialHits = await run(partial.text, { partial: true });
      if (partialHits.length > 0) {
        mode = 'partial';
        prepared = partial;
        hits = partialHits;
      }
    }
  }
  const pageHits = hits.slice(0, input.limit);
  const last = pageHits.at(-1);
  const nextCursor = hits.length > input.limit && last ? encodeCursor([mode, last.score, last.slug]) : null;
  const items: SearchItem[] = (await engine.rows(pageHits)).map((hit) => {
    const summary = listItemOf(hit);
    return {
      ...summary,
      search: { score: Number(hit.score), matched: matchedFields(hit, prepared), snippet: snippetOf(summary, hit, prepared.lexemes), ranking: rankingOf(hit) },
    };
  });
  const page: SearchPage = { items, nextCursor, query: { mode, corrections: prepared.corrections } };
  if (input.facets) page.facets = await engine.facets({ text: prepared.text, filter: input, pageFull: nextCursor !== null });
  return page;
}
