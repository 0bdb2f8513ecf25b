import { createHash } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import type { SortedAfter } from '../../lib/cursor';
import type { Executor } from '../client';
import { afterSql, orderBySql, sortKeySql, type SortSpec } from './keyset';

/**
 * Queries on the search document (hot table software_search, lower-tier vectors in
 * software_search_text, vocabulary search_term; kept by the triggers of migrations 0001_search and
 * 0002_search_tiers). Raw SQL: the tables live only in those migrations, so drizzle-kit never tries
 * to create or drop them.
 */

/** The drizzle internals db.execute uses, reached for the one thing it does not offer: a statement name. */
type Session = {
  dialect: { sqlToQuery(query: SQL): { sql: string; params: unknown[] } };
  session: {
    prepareQuery(query: { sql: string; params: unknown[] }, fields: undefined, name: string, arrayMode: boolean): {
      execute(): Promise<unknown>;
    };
  };
};

/**
 * Runs a search statement as a named prepared statement, named after its text: node-postgres
 * prepares it once per connection and PostgreSQL keeps its plan (a generic one once five custom
 * plans cost no less, see plan_cache_mode), instead of parsing and planning ~2–8 ms per request.
 * Every shape the builders below produce (per tier set, word count, filter combination) is a
 * bounded set of texts, with all values as parameters. PGlite ignores the name.
 */
async function rows<T>(db: Executor, query: SQL, options: { words?: boolean } = {}): Promise<T[]> {
  const { dialect, session } = db as unknown as Session;
  const built = dialect.sqlToQuery(query);
  let name: string | undefined = `th_search_${createHash('sha1').update(built.sql).digest('hex').slice(0, 24)}`;
  if (options.words) {
    // Texts with the query words in them: only the first WORD_STATEMENTS distinct ones are named, so
    // each connection holds a bounded number of cached plans; later ones are planned per call.
    if (!wordStatements.has(name)) {
      if (wordStatements.size >= WORD_STATEMENTS) name = undefined;
      else wordStatements.add(name);
    }
  }
  const result = (await session.prepareQuery(built, undefined, name as string, false).execute()) as { rows: T[] };
  return result.rows;
}

/**
 * Statements that carry query words (tsqueries, compound patterns, page size, and in the ranked
 * statement the facet filter values) as literals: with them as parameters the generic plan
 * PostgreSQL switches to after five calls estimates every word at 0.5 % of rows and bitmap-scans a
 * word found in 16 % of short descriptions (229 ms measured for "Sensor" + two filters, against
 * 4 ms planning + 4 ms execution per call). As literals the cached plan is the one planned for
 * these words. Bounded: a cached ranked statement (source, query tree, plan) takes about 0.2 MB in
 * a backend, so 64 of them are ~13 MB per connection, ~130 MB for the pool of 10; the most
 * frequent queries of a catalogue are a short list, the long tail is planned per call as before.
 */
const WORD_STATEMENTS = 64;
const wordStatements = new Set<string>();

/** A string literal: tsqueries and LIKE patterns built by the search service, never raw input alone. */
function literal(value: string): SQL {
  if (value.includes('\0')) throw new Error('NUL in a search literal');
  return sql.raw(`'${value.replace(/'/g, "''")}'`);
}
const int = (value: number): SQL => sql.raw(String(Math.trunc(value)));

/** An array as one parameter (drizzle would expand a JS array into a list): one text per shape. */
function array(values: readonly unknown[], type: 'text' | 'boolean' | 'int' | 'uuid'): SQL {
  return sql`${sql.param(values)}::${sql.raw(type)}[]`;
}
const param = array;

/** The same array as a literal, for statements that carry their values in the text (see rows). */
function arrayLiteral(values: readonly (string | number)[], type: 'text' | 'int' | 'uuid'): SQL {
  const items = values.map((v) => (type === 'int' ? int(Number(v)) : literal(String(v))));
  return sql`ARRAY[${sql.join(items, sql`, `)}]::${sql.raw(type)}[]`;
}

export type SearchFilter = {
  organisationIds?: string[];
  licence?: string[];
  category?: string[];
  status?: string[];
  state?: string[];
  organisationKind?: string[];
  cohort?: number[];
  productionReuse?: boolean;
};

/** One query word: matches when its tsquery (stems, prefixes, corrections) or a compound pattern does. */
export type WordMatch = { tsquery: string; patterns: string[] };
export type TextQuery = {
  words: WordMatch[];
  /** OR of every word's tsquery: what ranking and the matched fields are measured against. */
  any: string;
};

type FacetKey = 'licence' | 'category' | 'state' | 'organisationKind' | 'developmentStatus' | 'cohort' | 'productionReuse';

/** Facet filters as SQL, one entry per facet; `true` where the facet is not filtered. */
function facetConditions(filter: SearchFilter, literals = false): Record<FacetKey, SQL> {
  const array = (values: readonly (string | number)[], type: 'text' | 'int') => (literals ? arrayLiteral(values, type) : param(values, type));
  return {
    // Entries one may use under one of the licences (migration 0005_licence_choices), any case.
    licence: filter.licence?.length ? sql`ss.licence_keys && ${array(filter.licence.map((id) => id.toLowerCase()), 'text')}` : sql`true`,
    category: filter.category?.length ? sql`ss.categories && ${array(filter.category, 'text')}` : sql`true`,
    state: filter.state?.length ? sql`ss.states && ${array(filter.state, 'text')}` : sql`true`,
    organisationKind: filter.organisationKind?.length
      ? sql`ss.organisation_kind = ANY(${array(filter.organisationKind, 'text')})`
      : sql`true`,
    developmentStatus: filter.status?.length ? sql`ss.development_status = ANY(${array(filter.status, 'text')})` : sql`true`,
    cohort: filter.cohort?.length ? sql`ss.cohort_year = ANY(${array(filter.cohort, 'int')})` : sql`true`,
    productionReuse:
      filter.productionReuse === undefined ? sql`true` : sql`ss.production_reuse = ${literals ? sql.raw(String(filter.productionReuse === true)) : filter.productionReuse}`,
  };
}

/** Ranking tiers, best first: every query word reaches at least this field class. */
export const TIER = { name: 4, short: 3, keywords: 2, long: 1, readme: 0 } as const;
export type Tier = (typeof TIER)[keyof typeof TIER];
/** Stage 1, the hot table only; stage 2 joins the long description and README vectors and runs
 * only when stage 1 cannot fill the page (a separate statement: five branches cost 2.4 ms to plan). */
export const PRIMARY_TIERS: readonly Tier[] = [TIER.name, TIER.short, TIER.keywords];
export const LOWER_TIERS: readonly Tier[] = [TIER.long, TIER.readme];

const or = (parts: SQL[]) => (parts.length === 1 ? parts[0]! : sql`(${sql.join(parts, sql` OR `)})`);
const and = (parts: SQL[]) => (parts.length === 1 ? parts[0]! : sql`(${sql.join(parts, sql` AND `)})`);

type Level = 'name' | 'short' | 'keywords' | 'long' | 'readme';

/** One word reaching a field class: its tsquery in that class's vectors or its compound pattern. */
function wordReaches(w: WordMatch, level: Level): SQL {
  const q = sql`${literal(w.tsquery)}::tsquery`;
  const parts = [sql`ss.name_tsv @@ ${q}`];
  if (level !== 'name') parts.push(sql`ss.short_tsv @@ ${q}`);
  if (level !== 'name' && level !== 'short') parts.push(sql`ss.more_tsv @@ ${q}`);
  const column = level === 'name' || level === 'short' ? sql`ss.name_fold` : sql`ss.keywords`;
  for (const p of w.patterns) parts.push(sql`${column} LIKE ${literal(p)}`);
  if (level === 'long' || level === 'readme') parts.push(sql`st.long_tsv @@ ${q}`);
  if (level === 'readme') parts.push(sql`st.readme_tsv @@ ${q}`);
  return or(parts);
}

/**
 * "Every word reaches field class X" as SQL on software_search ss (and software_search_text st for
 * the lower classes). The name tier without compound patterns folds the words into one tsquery
 * (w1 & w2): one GIN scan, estimated as a whole.
 */
function reaches(text: TextQuery, level: Level): SQL {
  if (level === 'name' && text.words.every((w) => w.patterns.length === 0)) {
    return sql`ss.name_tsv @@ ${literal(text.words.map((w) => `(${w.tsquery})`).join(' & '))}::tsquery`;
  }
  return and(text.words.map((w) => wordReaches(w, level)));
}

/** Rows of exactly this tier: every word reaches its class, not every word the class above. */
function tierCondition(text: TextQuery, tier: Tier): SQL {
  const any = sql`${literal(text.any)}::tsquery`;
  switch (tier) {
    case TIER.name:
      return reaches(text, 'name');
    case TIER.short:
      return sql`${reaches(text, 'short')} AND NOT ${reaches(text, 'name')}`;
    case TIER.keywords:
      return sql`${reaches(text, 'keywords')} AND NOT ${reaches(text, 'short')}`;
    // Some word is only in the long descriptions (README): the indexable st condition narrows
    // the candidates for rare words; the rest checks the tier.
    case TIER.long:
      return sql`st.long_tsv @@ ${any} AND ${reaches(text, 'long')} AND NOT ${reaches(text, 'keywords')}`;
    case TIER.readme:
      return sql`st.readme_tsv @@ ${any} AND ${reaches(text, 'readme')} AND NOT ${reaches(text, 'long')}`;
  }
}

function baseCondition(filter: SearchFilter, text: TextQuery | null, literals = false): SQL {
  const facets = facetConditions(filter, literals);
  const parts: SQL[] = [sql`ss.active`];
  if (text && text.words.length > 0) {
    // Every word in the primary fields or the long descriptions: what facet counts count. README-only
    // matches are left out: counting them meant reading the README vectors of up to every entry
    // (a word like "Sensor" is in 30 % of the bench READMEs), seconds per request.
    parts.push(
      and(
        text.words.map((w) =>
          or([
            wordReaches(w, 'keywords'),
            sql`ss.software_id IN (SELECT x.software_id FROM software_search_text x WHERE x.long_tsv @@ ${literal(w.tsquery)}::tsquery)`,
          ]),
        ),
      ),
    );
  }
  if (filter.organisationIds?.length) {
    const ids = literals ? arrayLiteral(filter.organisationIds, 'uuid') : array(filter.organisationIds, 'uuid');
    parts.push(sql`ss.organisation_id = ANY(${ids})`);
  }
  for (const condition of Object.values(facets)) parts.push(condition);
  return sql.join(parts, sql` AND `);
}

/** What a result list shows of an entry (the summary), without README and publiccode.yml. */
export type SummaryRow = {
  id: string;
  slug: string;
  name: string;
  short_description_de: string | null;
  short_description_en: string | null;
  long_description_de: string | null;
  long_description_en: string | null;
  categories: string[];
  features: string[];
  licence: string | null;
  development_status: string | null;
  maintenance_type: string | null;
  repository_url: string | null;
  latest_release_version: string | null;
  latest_release_at: Date | string | null;
  publiccode_valid: boolean | null;
  active: boolean;
  created_at: Date | string;
  updated_at: Date | string;
  organisation_id: string;
  organisation_slug: string;
  organisation_name: string;
};

const summaryColumns = sql`s.id, s.slug, s.name, s.short_description_de, s.short_description_en, s.long_description_de,
  s.long_description_en, s.categories, s.features, s.licence, s.development_status, s.maintenance_type, s.repository_url,
  s.latest_release_version, s.latest_release_at, s.publiccode_valid, s.active, s.created_at, s.updated_at,
  o.id AS organisation_id, o.slug AS organisation_slug, o.name AS organisation_name`;

export type SearchHitRow = SummaryRow & {
  score: string;
  m_name: boolean;
  m_short: boolean;
  /** Features, categories or organisation name (one vector). */
  m_more: boolean;
  m_long: boolean;
  m_readme: boolean;
  /** README text around which to build a snippet, only when nothing shorter matched. */
  readme: string | null;
};

/** A position in the ranked list: score = tier + boost, ties by slug. */
export type RankKey = { tier: Tier; boost: string; slug: string };

/**
 * Ranked hits for a text query in the given tiers: per tier (best first) the first `limit` rows in
 * (boost DESC, slug) order after the cursor, appended under one LIMIT, so PostgreSQL stops before
 * the lower tiers once the page is full. The summary columns and matched fields are computed for
 * the page's rows only.
 */
export async function searchSoftwareRanked(
  db: Executor,
  input: { text: TextQuery; filter: SearchFilter; tiers: readonly Tier[]; after?: RankKey; limit: number; rare?: boolean },
): Promise<SearchHitRow[]> {
  const { text, after } = input;
  const any = sql`${literal(text.any)}::tsquery`;
  // A word missing from the vocabulary (a typo, a compound part) matches few rows, but the planner
  // estimates an unknown lexeme at half the rarest one's frequency and walks the rank index over
  // all rows (460 ms measured); the candidates are then collected through the GIN indexes first.
  // Stage 2 takes its candidates from the long description and README indexes (a word in no
  // field of the vocabulary either misses everywhere or is a README word; 64 ms of parallel
  // sequential scan measured for "buergerbeteilgung" without them).
  const rare = input.rare === true;
  const lower = input.tiers.some((t) => t <= TIER.long);
  const candidates = rare ? sql` AND ss.software_id IN (SELECT c.software_id FROM candidates c)` : sql``;
  const filter = sql`${baseCondition(input.filter, null, true)}${candidates}`;
  const tiers = input.tiers.filter((tier) => !after || tier <= after.tier);
  if (tiers.length === 0 || input.limit <= 0) return [];
  const branches = tiers.map((tier) => {
    const keyset =
      after && tier === after.tier
        ? sql` AND ss.boost <= ${after.boost}::numeric AND (ss.boost < ${after.boost}::numeric OR ss.slug > ${after.slug})`
        : sql``;
    const join = tier <= TIER.long ? sql` JOIN software_search_text st ON st.software_id = ss.software_id` : sql``;
    return sql`(SELECT ${int(tier)} AS tier, ss.software_id, ss.slug, ss.boost FROM software_search ss${join}
      WHERE ${filter} AND ${tierCondition(text, tier)}${keyset}
      ORDER BY ss.boost DESC, ss.slug LIMIT ${int(input.limit)})`;
  });
  const withCandidates = !rare
    ? sql``
    : lower
      ? // The word behind a sub-select: the planner estimates the README lexeme from its statistics,
        // where almost every prefix is common, and chose a sequential scan of all vectors (519 ms
        // for "buergerbeteilgung"); as an init-plan parameter it gets the default estimate and the
        // two GIN indexes, 0.x ms for a word found nowhere.
        sql`WITH candidates AS MATERIALIZED (SELECT st.software_id FROM software_search_text st
          WHERE st.long_tsv @@ (SELECT ${any}) OR st.readme_tsv @@ (SELECT ${any})) `
      : sql`WITH candidates AS MATERIALIZED (SELECT ss.software_id FROM software_search ss WHERE ss.active AND ${reaches(text, 'keywords')}) `;
  return rows<SearchHitRow>(
    db,
    // Matched fields from the vectors the tiers already read; which of features, categories and
    // organisation matched (one vector) and compound-part matches are told apart by the caller on
    // the row's texts, not by analysing them again here (0.27 ms per row measured).
    sql`${withCandidates}SELECT ${summaryColumns}, (h.tier + h.boost)::text AS score,
      ss.name_tsv @@ ${any} AS m_name, f.short AS m_short, f.more AS m_more, f.long AS m_long, f.readme AS m_readme,
      CASE WHEN NOT f.long AND NOT f.short AND f.readme THEN left(s.readme_markdown, 20000) END AS readme
    FROM (${branches.length === 1 ? branches[0]! : sql`${sql.join(branches, sql` UNION ALL `)} LIMIT ${int(input.limit)}`}) h
    JOIN software_search ss ON ss.software_id = h.software_id
    JOIN software s ON s.id = h.software_id
    JOIN organisation o ON o.id = s.organisation_id
    LEFT JOIN software_search_text st ON st.software_id = h.software_id
    -- Each vector checked once per row (OFFSET 0 keeps the subquery from being inlined into every use);
    -- features, categories and organisation are told apart only when their common vector matched.
    CROSS JOIN LATERAL (SELECT ss.short_tsv @@ ${any} AS short, ss.more_tsv @@ ${any} AS more,
      coalesce(st.long_tsv @@ ${any}, false) AS long, CASE WHEN h.tier <= ${int(TIER.long)} THEN coalesce(st.readme_tsv @@ ${any}, false) ELSE false END AS readme OFFSET 0) f
    ORDER BY h.tier DESC, h.boost DESC, h.slug ASC`,
    { words: true },
  );
}

/**
 * Whether every word matches some active entry in some field. Counted, not EXISTS: with LIMIT 1
 * the planner walks the table hoping for an early hit, which for a word found nowhere is all of
 * it (800 ms measured); a count takes the GIN bitmap. The README part runs only when needed (CASE).
 */
export async function everyWordFound(db: Executor, text: TextQuery): Promise<boolean> {
  const probes = text.words.map((w) => {
    const q = sql`${literal(w.tsquery)}::tsquery`;
    return sql`CASE WHEN (SELECT count(*) FROM software_search ss WHERE ss.active AND ${wordReaches(w, 'keywords')}) > 0 THEN true
      ELSE (SELECT count(*) FROM software_search_text st WHERE st.long_tsv @@ ${q} OR st.readme_tsv @@ ${q}) > 0 END`;
  });
  const [row] = await rows<{ ok: boolean }>(db, sql`SELECT ${sql.join(probes, sql` AND `)} AS ok`, { words: true });
  return row?.ok ?? false;
}

/** Filter-only listing on the search document (facet filters need its denormalised columns), in slug order. */
export async function browseSoftware(
  db: Executor,
  input: { filter: SearchFilter; afterSlug?: string; limit: number },
): Promise<SummaryRow[]> {
  const after = input.afterSlug !== undefined ? sql`AND ss.slug > ${input.afterSlug}` : sql``;
  return rows(
    db,
    sql`SELECT ${summaryColumns}
      FROM (SELECT ss.software_id, ss.slug FROM software_search ss
        WHERE ${baseCondition(input.filter, null)} ${after}
        ORDER BY ss.slug ASC LIMIT ${input.limit}) h
      JOIN software s ON s.id = h.software_id
      JOIN organisation o ON o.id = s.organisation_id
      ORDER BY h.slug ASC`,
  );
}

export const SOFTWARE_SORTS = {
  name: { expr: sql`ss.name_fold`, direction: 'asc', type: 'text', nullable: false },
  newest: { expr: sql`sw.created_at`, direction: 'desc', type: 'timestamptz', nullable: false },
  mostReused: { expr: sql`ss.reuse_count`, direction: 'desc', type: 'integer', nullable: false },
  latestRelease: { expr: sql`ss.latest_release_at`, direction: 'desc', type: 'timestamptz', nullable: true },
} satisfies Record<string, SortSpec>;
export type SoftwareSort = keyof typeof SOFTWARE_SORTS;

/**
 * browseSoftware in another order than the slug; each row carries its sort key for the cursor.
 * No index serves these orders: a sort reads the filtered entries once, which for a catalogue of
 * a few thousand entries is a few milliseconds.
 */
export async function browseSoftwareSorted(
  db: Executor,
  input: { filter: SearchFilter; sort: SoftwareSort; after: SortedAfter | null; limit: number },
): Promise<(SummaryRow & { sort_key: string | null })[]> {
  const spec = SOFTWARE_SORTS[input.sort];
  const after = input.after ? sql`AND ${afterSql(spec, sql`ss.slug`, input.after)}` : sql``;
  return rows(
    db,
    sql`SELECT ${summaryColumns}, h.sort_key
      FROM (SELECT ss.software_id, ss.slug, ${sortKeySql(spec)} AS sort_key, row_number() OVER (ORDER BY ${orderBySql(spec, sql`ss.slug`)}) AS n
        FROM software_search ss JOIN software sw ON sw.id = ss.software_id
        WHERE ${baseCondition(input.filter, null)} ${after}
        ORDER BY ${orderBySql(spec, sql`ss.slug`)} LIMIT ${input.limit}) h
      JOIN software s ON s.id = h.software_id
      JOIN organisation o ON o.id = s.organisation_id
      ORDER BY h.n`,
  );
}

export type FacetCountRow = { facet: FacetKey; value: string; count: number };

/**
 * Counts per facet value for the current query and filters. Each facet is counted with every
 * filter except its own, so a user sees what choosing another value of that facet would give
 * (OR within a facet); the other facets' filters apply (AND across facets). With a query, entries
 * matching in the primary fields or long descriptions are counted (not README-only matches).
 */
export async function facetCounts(
  db: Executor,
  input: { text: TextQuery | null; filter: SearchFilter; maxValues: number },
): Promise<FacetCountRow[]> {
  const facets = facetConditions(input.filter);
  const others = (except: FacetKey) =>
    sql.join(
      (Object.keys(facets) as FacetKey[]).filter((k) => k !== except).map((k) => sql.raw(`f_${k}`)),
      sql` AND `,
    );
  const base = { ...input.filter, licence: [], category: [], state: [], organisationKind: [], status: [], cohort: [], productionReuse: undefined };
  const one = (facet: FacetKey, valueSql: SQL, from: SQL = sql`m`) =>
    sql`(SELECT ${facet}::text AS facet, v AS value, count(*)::int AS count FROM (SELECT ${valueSql} AS v, m.* FROM ${from}) x
      WHERE v IS NOT NULL AND ${others(facet)} GROUP BY v ORDER BY count(*) DESC, v LIMIT ${input.maxValues})`;
  // Licences compare case-insensitively in the filter, so the facet counts per lower-case id and
  // shows one spelling of it: each value's count is what filtering by it gives.
  const licenceFacet = sql`(SELECT 'licence'::text AS facet, min(lc) AS value, count(*)::int AS count
      FROM m, unnest(m.licence_choices) lc WHERE ${others('licence')} GROUP BY lower(lc) ORDER BY count(*) DESC, min(lc) LIMIT ${input.maxValues})`;
  return rows<FacetCountRow>(
    db,
    sql`WITH m AS MATERIALIZED (
      SELECT ss.licence_choices, ss.categories, ss.states, ss.organisation_kind, ss.development_status, ss.cohort_year, ss.production_reuse,
        ${facets.licence} AS f_licence, ${facets.category} AS f_category, ${facets.state} AS f_state,
        ${facets.organisationKind} AS f_organisationKind, ${facets.developmentStatus} AS f_developmentStatus,
        ${facets.cohort} AS f_cohort, ${facets.productionReuse} AS f_productionReuse
      FROM software_search ss
      WHERE ${baseCondition(base, input.text)}
    )
    ${licenceFacet}
    UNION ALL ${one('category', sql`c`, sql`m, unnest(m.categories) c`)}
    UNION ALL ${one('state', sql`st`, sql`m, unnest(m.states) st`)}
    UNION ALL ${one('organisationKind', sql`m.organisation_kind`)}
    UNION ALL ${one('developmentStatus', sql`m.development_status`)}
    UNION ALL ${one('cohort', sql`m.cohort_year::text`)}
    UNION ALL ${one('productionReuse', sql`m.production_reuse::text`)}`,
    { words: input.text !== null },
  );
}

/** known: the folded word is in the vocabulary; completes: some vocabulary term starts with it. */
export type PreparedWord = { position: number; tsquery: string | null; fold: string; known: boolean; completes: boolean };

/** Analyses typed words in the database (stemming, stop words, folding) in one round trip. */
export async function prepareWords(db: Executor, words: { text: string; prefix: boolean }[]): Promise<PreparedWord[]> {
  if (words.length === 0) return [];
  const texts = words.map((w) => w.text);
  const prefixes = words.map((w) => w.prefix);
  return rows<PreparedWord>(
    db,
    sql`SELECT w.position::int AS position, public.th_word_query(w.text, p.prefix)::text AS tsquery, public.th_fold(w.text) AS fold,
        EXISTS (SELECT 1 FROM search_term t WHERE t.term = public.th_fold(w.text) AND t.doc_count > 0) AS known,
        -- A range on the C-collated primary key: terms from the folded word up to the word + U+FFFF.
        EXISTS (SELECT 1 FROM search_term t WHERE t.term >= public.th_fold(w.text)
          AND t.term < public.th_fold(w.text) || chr(65535) AND t.doc_count > 0) AS completes
      FROM unnest(${array(texts, 'text')}) WITH ORDINALITY AS w(text, position)
      JOIN unnest(${array(prefixes, 'boolean')}) WITH ORDINALITY AS p(prefix, position) ON p.position = w.position
      ORDER BY w.position`,
  );
}

/** Typo correction: the nearest vocabulary terms by trigram similarity (GiST KNN on search_term). */
export async function correctWords(
  db: Executor,
  input: { folds: string[]; perWord: number; minSimilarity: number },
): Promise<{ fold: string; term: string; tsquery: string | null }[]> {
  if (input.folds.length === 0) return [];
  return rows(
    db,
    sql`SELECT w.f AS fold, c.term, public.th_word_query(c.term, false)::text AS tsquery
      FROM unnest(${array(input.folds, 'text')}) AS w(f)
      CROSS JOIN LATERAL (
        SELECT t.term FROM search_term t WHERE t.doc_count > 0 ORDER BY t.term <-> w.f LIMIT ${input.perWord}
      ) c
      WHERE similarity(c.term, w.f) >= ${input.minSimilarity} AND c.term <> w.f`,
  );
}

export type SuggestRow = { kind: 'software' | 'term'; text: string; slug: string | null };

/**
 * Autocompletion, first statement: software names starting with the prefix (most reused first:
 * a common prefix walks the (reuse_count DESC, name_fold) index and stops after `limit`, a rare
 * one takes the text_pattern_ops range) and vocabulary terms completing the last word.
 */
export async function suggest(
  db: Executor,
  input: { prefix: string; lastWord: string; head: string; limit: number },
): Promise<SuggestRow[]> {
  return rows<SuggestRow>(
    db,
    sql`(SELECT 'software' AS kind, ss.name AS text, ss.slug FROM software_search ss
        WHERE ss.active AND ss.name_fold LIKE (public.th_fold(${input.prefix}) || '%')
        ORDER BY ss.reuse_count DESC, ss.name_fold LIMIT ${input.limit})
      UNION ALL
      (SELECT 'term' AS kind, ${input.head} || t.display AS text, NULL AS slug FROM search_term t
        WHERE t.term LIKE (public.th_fold(${input.lastWord}) || '%') AND t.doc_count > 0
        ORDER BY t.doc_count DESC, t.term LIMIT ${input.limit})`,
  );
}

/**
 * Autocompletion, only when the first statement found fewer names than wanted: names with a
 * later word starting with the prefix ("sensor" → "Parkraum-Sensorik"), through the name-word GIN
 * index; the regular expression keeps the exact "a word starts with the prefix" meaning.
 */
export async function suggestByWord(
  db: Executor,
  input: { prefix: string; wordQuery: string; limit: number },
): Promise<SuggestRow[]> {
  return rows<SuggestRow>(
    db,
    sql`SELECT 'software' AS kind, ss.name AS text, ss.slug FROM software_search ss
      WHERE ss.active AND to_tsvector('simple'::regconfig, regexp_replace(ss.name_fold, '[^a-z0-9]+', ' ', 'g')) @@ ${input.wordQuery}::tsquery
        AND ss.name_fold ~ ('(^|[^a-z0-9])' || public.th_fold(${input.prefix}))
        AND ss.name_fold NOT LIKE (public.th_fold(${input.prefix}) || '%')
      ORDER BY ss.reuse_count DESC, ss.name_fold LIMIT ${input.limit}`,
  );
}

/** Recomputes boosts whose "release within a year" has run out (see th_search_expire_boosts). */
export async function expireBoosts(db: Executor): Promise<number> {
  const [row] = await rows<{ n: number }>(db, sql`SELECT public.th_search_expire_boosts() AS n`);
  return row?.n ?? 0;
}

/** The catalogue revision (migration 0004_search_revision): moves on with every committed change search can see. */
export async function catalogueRevision(db: Executor): Promise<string> {
  const [row] = await rows<{ revision: string }>(db, sql`SELECT revision::text AS revision FROM catalogue_revision`);
  return row?.revision ?? '0';
}
