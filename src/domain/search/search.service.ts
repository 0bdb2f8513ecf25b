import type { Db } from '../../db/client';
import {
  browseSoftware,
  browseSoftwareSorted,
  catalogueRevision,
  correctWords,
  expireBoosts,
  facetCounts,
  LOWER_TIERS,
  PRIMARY_TIERS,
  prepareWords,
  searchSoftwareRanked,
  suggest,
  suggestByWord,
  everyWordFound,
  type FacetCountRow,
  type PreparedWord,
  type RankKey,
  type SearchFilter,
  type SearchHitRow,
  type SoftwareSort,
  type SummaryRow,
  type TextQuery,
  type Tier,
} from '../../db/queries/search.queries';
import { decodeCursor, decodeSortedCursor, encodeCursor, encodeSortedCursor } from '../../lib/cursor';
import { BadRequest } from '../../lib/errors';
import type { SoftwareSummary } from '../catalogue/software.view';
import { fold, orOfLexemes, queryWords, tsqueryLexemes } from './query-words';
import { answerCacheOf, answerKey } from './answer-cache';
import { excerpt, highlight, mentions, plainText } from './snippet';

/** "Few hits": below this many exact hits, typo correction is tried. */
const FEW_HITS = 3;
/** Corrections per misspelt word and how close they must be (pg_trgm similarity, 0–1). 0.4 keeps
 * "buergerbeteilgung" → "burgerbeteiligung" (0.7) and drops unrelated words sharing a syllable. */
const CORRECTIONS_PER_WORD = 3;
const MIN_SIMILARITY = 0.4;
/** Compound parts are searched as substrings from this length on: shorter ones ("app") hit
 * unrelated words ("Wappen") and make the trigram scan expensive. */
const MIN_COMPOUND_PART = 5;
/** Values shown per facet (categories can be many). */
const FACET_VALUES = 30;
/** How often the stored boosts are checked for an expired "release within a year" (one indexed
 * UPDATE, usually of no rows): the signal is worth 0.04 inside a tier, an hour late is harmless. */
const BOOST_EXPIRY_INTERVAL_MS = 60 * 60 * 1000;

export type MatchedField =
  | 'name'
  | 'shortDescription'
  | 'features'
  | 'categories'
  | 'organisation'
  | 'longDescription'
  | 'readme';

export type SearchInput = SearchFilter & {
  q?: string;
  /** Only without q: a search is ordered by relevance. */
  sort?: SoftwareSort;
  cursor?: string;
  limit: number;
  facets?: boolean;
};

/** exact: every word as typed (stems, compound parts); fuzzy: misspelt words corrected; partial: no
 * entry has every word, so entries with any of them, best first. */
type Mode = 'exact' | 'fuzzy' | 'partial';
type Facet = { value: string; count: number };
export type Facets = Record<FacetCountRow['facet'], Facet[]>;

export type SearchItem = SoftwareSummary & {
  search?: { score: number; matched: MatchedField[]; snippet: { field: string; text: string } | null };
};
export type SearchPage = {
  items: SearchItem[];
  nextCursor: string | null;
  facets?: Facets;
  query?: { mode: Mode; corrections: { word: string; terms: string[] }[] };
};

type Prepared = { words: PreparedWord[]; text: TextQuery; lexemes: string[]; corrections: { word: string; terms: string[] }[] };

/** Builds the text query: per word its tsquery and compound pattern, optionally with corrections. */
async function buildTextQuery(db: Db, q: string, mode: Mode, analysed?: PreparedWord[]): Promise<Prepared | null> {
  const prepared = (analysed ?? (await prepareWords(db, queryWords(q)))).filter((w) => w.tsquery !== null);
  if (prepared.length === 0) return null;
  const extra = new Map<string, { term: string; tsquery: string | null }[]>();
  if (mode === 'fuzzy') {
    const unknown = prepared.filter((w) => !w.known && w.fold.length >= 4).map((w) => w.fold);
    for (const c of await correctWords(db, { folds: unknown, perWord: CORRECTIONS_PER_WORD, minSimilarity: MIN_SIMILARITY })) {
      extra.set(c.fold, [...(extra.get(c.fold) ?? []), c]);
    }
  }
  const lexemes: string[] = [];
  const text: TextQuery = {
    words: prepared.map((w) => {
      const alternatives = [w.tsquery!, ...(extra.get(w.fold) ?? []).flatMap((c) => (c.tsquery ? [c.tsquery] : []))];
      const folds = [w.fold, ...(extra.get(w.fold) ?? []).map((c) => c.term)];
      lexemes.push(...folds, ...alternatives.flatMap(tsqueryLexemes));
      return {
        tsquery: orOfLexemes(alternatives),
        patterns: folds.filter((f) => f.length >= MIN_COMPOUND_PART && /^[a-z0-9]+$/.test(f)).map((f) => `%${f}%`),
      };
    }),
    any: '',
  };
  text.any = orOfLexemes(text.words.map((w) => w.tsquery));
  const corrections = [...extra].map(([word, found]) => ({ word, terms: found.map((c) => c.term) }));
  return { words: prepared, text, lexemes, corrections };
}

/** Any of the words instead of all of them: one word whose tsquery is the OR of theirs, with all their compound parts. */
function anyWord(prepared: Prepared): Prepared {
  const word = { tsquery: prepared.text.any, patterns: [...new Set(prepared.text.words.flatMap((w) => w.patterns))] };
  return { ...prepared, text: { words: [word], any: prepared.text.any }, corrections: [] };
}

/**
 * The fields a hit matched. Name, short description, long description and README come from the
 * vectors the statement checked; features, categories and organisation share one vector, so when
 * it matched they are told apart here on the texts (the highlighting rule: stems and prefixes,
 * parts of compounds), as are compound-part matches (patterns) in name, short descriptions and features.
 */
function matchedFields(hit: SearchHitRow, prepared: Prepared): MatchedField[] {
  const parts = prepared.text.words.flatMap((w) => w.patterns.map((p) => p.slice(1, -1)));
  const byPart = (text: string) => parts.length > 0 && parts.some((p) => fold(text).includes(p));
  const short = [hit.short_description_de, hit.short_description_en].filter((t) => t !== null).join(' ');
  const features = hit.features.join(' ');
  let more: MatchedField[] = [];
  if (hit.m_more) {
    const found: [boolean, MatchedField][] = [
      [mentions(features, prepared.lexemes), 'features'],
      [mentions(hit.categories.join(' '), prepared.lexemes), 'categories'],
      [mentions(hit.organisation_name, prepared.lexemes), 'organisation'],
    ];
    more = found.filter(([on]) => on).map(([, field]) => field);
    // Stemming can match where the highlighting rule does not: the vector matched, so say so.
    if (more.length === 0) more = [hit.features.length > 0 ? 'features' : hit.categories.length > 0 ? 'categories' : 'organisation'];
  }
  if (!more.includes('features') && byPart(features)) more.unshift('features');
  const flags: [boolean, MatchedField[]][] = [
    [hit.m_name || byPart(hit.name), ['name']],
    [hit.m_short || byPart(short), ['shortDescription']],
    [more.length > 0, more],
    [hit.m_long, ['longDescription']],
    [hit.m_readme, ['readme']],
  ];
  return flags.filter(([on]) => on).flatMap(([, fields]) => fields);
}

/** The first description (German before English, short before long, README last) showing a match. */
function snippetOf(summary: SoftwareSummary, hit: SearchHitRow, lexemes: string[]) {
  const candidates: [string, string | null][] = [
    ['shortDescription.de', summary.description.de.short],
    ['shortDescription.en', summary.description.en.short],
    ['longDescription.de', summary.description.de.long],
    ['longDescription.en', summary.description.en.long],
    ['readme', hit.readme ? plainText(hit.readme) : null],
  ];
  for (const [field, text] of candidates) {
    const marked = text ? highlight(text, lexemes) : null;
    if (marked) return { field, text: marked };
  }
  const fallback = candidates.find(([, text]) => text);
  return fallback ? { field: fallback[0], text: excerpt(fallback[1]!) } : null;
}

const iso = (value: Date | string) => new Date(value).toISOString();

/** The list shape (as softwareSummary builds it) from the summary columns the search queries return. */
function summaryOf(row: SummaryRow): SoftwareSummary {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    organisation: { id: row.organisation_id, slug: row.organisation_slug, name: row.organisation_name },
    description: {
      de: { short: row.short_description_de, long: row.long_description_de },
      en: { short: row.short_description_en, long: row.long_description_en },
    },
    categories: row.categories,
    features: row.features,
    licence: row.licence,
    developmentStatus: row.development_status,
    maintenanceType: row.maintenance_type,
    repositoryUrl: row.repository_url,
    latestRelease: row.latest_release_version
      ? { version: row.latest_release_version, date: row.latest_release_at === null ? null : iso(row.latest_release_at) }
      : null,
    publiccodeValid: row.publiccode_valid,
    active: row.active,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

/** Per database handle: when the boosts were last checked for expiry. */
const boostsCheckedAt = new WeakMap<object, number>();

async function expireBoostsWhenDue(db: Db) {
  const now = Date.now();
  if (now - (boostsCheckedAt.get(db) ?? 0) < BOOST_EXPIRY_INTERVAL_MS) return;
  boostsCheckedAt.set(db, now); // before awaiting: concurrent requests do not repeat it
  await expireBoosts(db);
}

function facetsFrom(rows: FacetCountRow[]): Facets {
  const facets: Facets = {
    licence: [],
    category: [],
    state: [],
    organisationKind: [],
    developmentStatus: [],
    cohort: [],
    productionReuse: [],
  };
  for (const row of rows) facets[row.facet].push({ value: row.value, count: row.count });
  return facets;
}

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
 */
export async function searchSoftwarePage(db: Db, input: SearchInput): Promise<SearchPage> {
  // Before the revision is read: an expiry that changes boosts moves the revision on.
  if (input.q?.trim()) await expireBoostsWhenDue(db);
  return answered(db, 'software', input, () => computeSearchPage(db, input));
}

/** From the answer cache under the current catalogue revision, or computed when the cache is off. */
async function answered<T extends object>(db: Db, kind: string, input: Record<string, unknown>, compute: () => Promise<T>): Promise<T> {
  const cache = answerCacheOf(db);
  if (!cache) return compute();
  return cache.through(await catalogueRevision(db), answerKey(kind, input), compute);
}

/** Without a search term: slug order (cursor: the slug), or the requested sort (cursor: sort, key, slug). */
async function browsePage(db: Db, input: SearchInput): Promise<SearchPage> {
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
  const page: SearchPage = { items: pageRows.map(summaryOf), nextCursor };
  if (input.facets) page.facets = facetsFrom(await facetCounts(db, { text: null, filter: input, maxValues: FACET_VALUES }));
  return page;
}

async function computeSearchPage(db: Db, input: SearchInput): Promise<SearchPage> {
  const q = input.q?.trim() ? input.q : undefined;
  if (!q) return browsePage(db, input);

  const cursor = decodeSearchCursor(input.cursor);
  const after = cursor?.key;
  let mode: Mode = cursor?.mode ?? 'exact';
  let prepared = await buildTextQuery(db, q, mode === 'partial' ? 'exact' : mode);
  if (prepared && mode === 'partial') prepared = anyWord(prepared);
  if (!prepared) return { items: [], nextCursor: null, ...(input.facets ? { facets: facetsFrom([]) } : {}), query: { mode, corrections: [] } };
  // Stage 1 (name, short description, features/categories/organisation) on the hot table; stage 2
  // (long description, README) only for the rest of a page stage 1 cannot fill.
  const run = async (text: TextQuery) => {
    const wanted = input.limit + 1;
    // A finished word missing from the vocabulary (not one still being typed: "Parkr" is a prefix
    // of thousands of names) matches few rows: collect its candidates through the GIN indexes.
    const typing = new Set(queryWords(q).flatMap((w, i) => (w.prefix ? [i + 1] : [])));
    // A word still being typed counts as rare when no vocabulary term starts with it ("buergerbeteilgung":
    // its full walk of the rank index took 358 ms).
    const rare =
      prepared!.corrections.length === 0 && prepared!.words.some((w) => !w.known && (!typing.has(w.position) || !w.completes));
    const first = await searchSoftwareRanked(db, { text, filter: input, tiers: PRIMARY_TIERS, after, limit: wanted, rare });
    if (first.length >= wanted) return first;
    // Several words: stage 2 narrows by "some word in the long description/README", which for a
    // misspelt word next to a common one means thousands of README vectors checked for nothing.
    // One probe per word first: a word found nowhere means no exact hit at all.
    if (text.words.length > 1 && !(await everyWordFound(db, text))) return first;
    // Candidates for stage 2 only for one word: with several, "some word in the long description or
    // README" is as broad as the commonest word (the probe above already stopped misspelt ones).
    const lowerRare = rare && text.words.length === 1;
    const rest = await searchSoftwareRanked(db, { text, filter: input, tiers: LOWER_TIERS, after, limit: wanted - first.length, rare: lowerRare });
    return [...first, ...rest];
  };
  let hits = await run(prepared.text);
  if (!after && hits.length < FEW_HITS) {
    const fuzzy = await buildTextQuery(db, q, 'fuzzy', prepared.words);
    if (fuzzy && fuzzy.corrections.length > 0) {
      mode = 'fuzzy';
      prepared = fuzzy;
      hits = await run(fuzzy.text);
    }
  }
  // Several words and no entry with all of them ("Bürger App"): entries with any of them, so a
  // search never ends empty while single words would find something. From the words as typed.
  if (!after && hits.length === 0 && prepared.text.words.length > 1) {
    const exact = mode === 'exact' ? prepared : await buildTextQuery(db, q, 'exact', prepared.words);
    if (exact) {
      const partial = anyWord(exact);
      const partialHits = await run(partial.text);
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
  const items: SearchItem[] = pageHits.map((hit) => {
    const summary = summaryOf(hit);
    return { ...summary, search: { score: Number(hit.score), matched: matchedFields(hit, prepared), snippet: snippetOf(summary, hit, prepared.lexemes) } };
  });
  const page: SearchPage = { items, nextCursor, query: { mode, corrections: prepared.corrections } };
  if (input.facets) page.facets = facetsFrom(await facetCounts(db, { text: prepared.text, filter: input, maxValues: FACET_VALUES }));
  return page;
}

export type Suggestion = { kind: 'software' | 'term'; text: string; slug: string | null };

/**
 * Autocompletion for the search box: software names (by prefix of the name or of one of its
 * words) and vocabulary terms completing the last word. One indexed statement per keystroke, a second one when few names start with the prefix.
 */
export async function suggestSearch(db: Db, input: { q: string; limit: number }): Promise<{ items: Suggestion[] }> {
  return answered(db, 'suggest', input, () => computeSuggestions(db, input));
}

async function computeSuggestions(db: Db, input: { q: string; limit: number }): Promise<{ items: Suggestion[] }> {
  const words = (input.q.match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 8);
  const lastWord = words.at(-1);
  if (!lastWord) return { items: [] };
  const prefix = words.join(' ');
  const head = words.slice(0, -1).map((w) => `${w.toLowerCase()} `).join('');
  // The words of the prefix for the name-word index (complete words, the last as a prefix); the
  // regular expression in the query keeps the exact "a word starts with the prefix" meaning.
  const folded = fold(prefix).split(/[^a-z0-9]+/).filter(Boolean);
  const wordQuery = folded.length ? folded.map((w, i) => `'${w}'${i === folded.length - 1 ? ':*' : ''}`).join(' & ') : null;
  const rows = await suggest(db, { prefix, lastWord, head, limit: input.limit });
  const names = rows.filter((r) => r.kind === 'software');
  if (names.length < input.limit && wordQuery) {
    names.push(...(await suggestByWord(db, { prefix, wordQuery, limit: input.limit - names.length })));
  }
  const terms = rows.filter((r) => r.kind === 'term');
  // Names first (they lead straight to an entry), then terms, without repeating a name as a term.
  const seen = new Set(names.map((n) => n.text.toLowerCase()));
  const items = [...names, ...terms.filter((t) => !seen.has(t.text.toLowerCase()))].slice(0, input.limit);
  return { items };
}
