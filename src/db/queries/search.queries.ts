import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../client';

/**
 * Queries on the search document (table software_search and the vocabulary search_term, both kept
 * by the triggers of migration 0001_search). Raw SQL: the tables live only in that migration,
 * so drizzle-kit never tries to create or drop them.
 */

async function rows<T>(db: Executor, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

/** An array parameter: drizzle would expand a JS array into a parenthesised list. */
function array(values: readonly unknown[], type: 'text' | 'boolean'): SQL {
  return sql`ARRAY[${sql.join(values.map((v) => sql`${v}`), sql`, `)}]::${sql.raw(type)}[]`;
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
function facetConditions(filter: SearchFilter): Record<FacetKey, SQL> {
  const list = (values: readonly unknown[]) => sql.join(values.map((v) => sql`${v}`), sql`, `);
  return {
    licence: filter.licence?.length ? sql`ss.licence IN (${list(filter.licence)})` : sql`true`,
    category: filter.category?.length ? sql`ss.categories && ${array(filter.category, 'text')}` : sql`true`,
    state: filter.state?.length ? sql`ss.states && ${array(filter.state, 'text')}` : sql`true`,
    organisationKind: filter.organisationKind?.length
      ? sql`ss.organisation_kind IN (${list(filter.organisationKind)})`
      : sql`true`,
    developmentStatus: filter.status?.length ? sql`ss.development_status IN (${list(filter.status)})` : sql`true`,
    cohort: filter.cohort?.length ? sql`ss.cohort_year IN (${list(filter.cohort)})` : sql`true`,
    productionReuse: filter.productionReuse === undefined ? sql`true` : sql`ss.production_reuse = ${filter.productionReuse}`,
  };
}

/** Every word must match somewhere: AND across words, OR across fields and compound parts. */
function textCondition(text: TextQuery | null): SQL {
  if (!text || text.words.length === 0) return sql`true`;
  return sql.join(
    text.words.map((word) => {
      const q = sql`${word.tsquery}::tsquery`;
      const parts = [sql`ss.head_tsv @@ ${q}`, sql`ss.long_tsv @@ ${q}`, sql`ss.readme_tsv @@ ${q}`];
      for (const pattern of word.patterns) parts.push(sql`ss.keywords LIKE ${pattern}`);
      return sql`(${sql.join(parts, sql` OR `)})`;
    }),
    sql` AND `,
  );
}

function baseCondition(filter: SearchFilter, text: TextQuery | null, except?: FacetKey): SQL {
  const facets = facetConditions(filter);
  const parts: SQL[] = [sql`ss.active`, textCondition(text)];
  if (filter.organisationIds?.length) {
    parts.push(sql`ss.organisation_id IN (${sql.join(filter.organisationIds.map((id) => sql`${id}::uuid`), sql`, `)})`);
  }
  for (const [key, condition] of Object.entries(facets)) if (key !== except) parts.push(condition);
  return sql.join(parts, sql` AND `);
}

/**
 * The score: weighted fields first (ts_rank over name A=1.0, short description B=0.4,
 * features/categories/organisation C=0.2), long descriptions +0.05, a compound part of the
 * name +0.15; then signals small enough not to outweigh a better field: reuses
 * (0.05·ln(1+n), 0.12 at 10 reuses), a release within a year +0.04, valid publiccode.yml +0.02,
 * active maintenance +0.02. Rounded to 6 decimals as numeric, so the cursor carries it exactly.
 */
function scoreSql(text: TextQuery): SQL {
  const any = sql`${text.any}::tsquery`;
  const namePatterns = text.words.flatMap((w) => w.patterns);
  const compound = namePatterns.length
    ? sql`CASE WHEN ${sql.join(namePatterns.map((p) => sql`ss.name_fold LIKE ${p}`), sql` OR `)} THEN 0.15 ELSE 0 END`
    : sql`0`;
  return sql`round((
      ts_rank('{0.1,0.2,0.4,1.0}'::float4[], ss.head_tsv, ${any})
      + CASE WHEN ss.long_tsv @@ ${any} THEN 0.05 ELSE 0 END
      + ${compound}
      + 0.05 * ln(1 + ss.reuse_count)
      + CASE WHEN ss.latest_release_at >= current_date - 365 THEN 0.04 ELSE 0 END
      + CASE WHEN ss.publiccode_valid THEN 0.02 ELSE 0 END
      + CASE WHEN ss.maintained THEN 0.02 ELSE 0 END
    )::numeric, 6)`;
}

export type SearchHitRow = {
  software_id: string;
  slug: string;
  score: string;
  m_name: boolean;
  m_short: boolean;
  m_features: boolean;
  m_categories: boolean;
  m_organisation: boolean;
  m_long: boolean;
  m_readme: boolean;
  /** README text around which to build a snippet, only when nothing shorter matched. */
  readme: string | null;
};

/** Ranked hits for a text query: keyset over (score DESC, slug ASC), both computed deterministically. */
export async function searchSoftwareRanked(
  db: Executor,
  input: { text: TextQuery; filter: SearchFilter; after?: { score: string; slug: string }; limit: number },
): Promise<SearchHitRow[]> {
  const { text } = input;
  const any = sql`${text.any}::tsquery`;
  const patterns = text.words.flatMap((w) => w.patterns);
  const folded = (column: SQL) =>
    patterns.length ? sql` OR ${sql.join(patterns.map((p) => sql`public.th_fold(${column}) LIKE ${p}`), sql` OR `)}` : sql``;
  const keyset = input.after
    ? sql`WHERE (h.score < ${input.after.score}::numeric OR (h.score = ${input.after.score}::numeric AND h.slug > ${input.after.slug}))`
    : sql``;
  return rows<SearchHitRow>(
    db,
    sql`WITH hits AS (
      SELECT ss.software_id, ss.slug, ${scoreSql(text)} AS score
      FROM software_search ss
      WHERE ${baseCondition(input.filter, text)}
    ), top AS (
      SELECT h.* FROM hits h ${keyset} ORDER BY h.score DESC, h.slug ASC LIMIT ${input.limit}
    )
    SELECT t.software_id, t.slug, t.score::text AS score,
      (ts_filter(ss.head_tsv, '{a}') @@ ${any}${folded(sql`s.name`)}) AS m_name,
      (ts_filter(ss.head_tsv, '{b}') @@ ${any}${folded(sql`concat_ws(' ', s.short_description_de, s.short_description_en)`)}) AS m_short,
      (public.th_doc(array_to_string(s.features, ' '), 'C') @@ ${any}${folded(sql`array_to_string(s.features, ' ')`)}) AS m_features,
      (public.th_doc(array_to_string(s.categories, ' '), 'C') @@ ${any}) AS m_categories,
      (public.th_doc(o.name, 'C') @@ ${any}) AS m_organisation,
      (ss.long_tsv @@ ${any}) AS m_long,
      (ss.readme_tsv @@ ${any}) AS m_readme,
      CASE WHEN NOT (ss.long_tsv @@ ${any}) AND NOT (ts_filter(ss.head_tsv, '{b}') @@ ${any}) AND ss.readme_tsv @@ ${any}
        THEN left(s.readme_markdown, 20000) END AS readme
    FROM top t
    JOIN software_search ss ON ss.software_id = t.software_id
    JOIN software s ON s.id = t.software_id
    JOIN organisation o ON o.id = s.organisation_id
    ORDER BY t.score DESC, t.slug ASC`,
  );
}

/** Filter-only listing on the search document (facet filters need its denormalised columns), in slug order. */
export async function browseSoftware(
  db: Executor,
  input: { filter: SearchFilter; afterSlug?: string; limit: number },
): Promise<{ software_id: string; slug: string }[]> {
  const after = input.afterSlug !== undefined ? sql`AND ss.slug > ${input.afterSlug}` : sql``;
  return rows(
    db,
    sql`SELECT ss.software_id, ss.slug FROM software_search ss
      WHERE ${baseCondition(input.filter, null)} ${after}
      ORDER BY ss.slug ASC LIMIT ${input.limit}`,
  );
}

export type FacetCountRow = { facet: FacetKey; value: string; count: number };

/**
 * Counts per facet value for the current query and filters. Each facet is counted with every
 * filter except its own, so a user sees what choosing another value of that facet would give
 * (OR within a facet); the other facets' filters apply (AND across facets).
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
  return rows<FacetCountRow>(
    db,
    sql`WITH m AS MATERIALIZED (
      SELECT ss.licence, ss.categories, ss.states, ss.organisation_kind, ss.development_status, ss.cohort_year, ss.production_reuse,
        ${facets.licence} AS f_licence, ${facets.category} AS f_category, ${facets.state} AS f_state,
        ${facets.organisationKind} AS f_organisationKind, ${facets.developmentStatus} AS f_developmentStatus,
        ${facets.cohort} AS f_cohort, ${facets.productionReuse} AS f_productionReuse
      FROM software_search ss
      WHERE ${baseCondition(base, input.text)}
    )
    ${one('licence', sql`m.licence`)}
    UNION ALL ${one('category', sql`c`, sql`m, unnest(m.categories) c`)}
    UNION ALL ${one('state', sql`st`, sql`m, unnest(m.states) st`)}
    UNION ALL ${one('organisationKind', sql`m.organisation_kind`)}
    UNION ALL ${one('developmentStatus', sql`m.development_status`)}
    UNION ALL ${one('cohort', sql`m.cohort_year::text`)}
    UNION ALL ${one('productionReuse', sql`m.production_reuse::text`)}`,
  );
}

export type PreparedWord = { position: number; tsquery: string | null; fold: string; known: boolean };

/** Analyses typed words in the database (stemming, stop words, folding) in one round trip. */
export async function prepareWords(db: Executor, words: { text: string; prefix: boolean }[]): Promise<PreparedWord[]> {
  if (words.length === 0) return [];
  const texts = words.map((w) => w.text);
  const prefixes = words.map((w) => w.prefix);
  return rows<PreparedWord>(
    db,
    sql`SELECT w.position::int AS position, public.th_word_query(w.text, p.prefix)::text AS tsquery, public.th_fold(w.text) AS fold,
        EXISTS (SELECT 1 FROM search_term t WHERE t.term = public.th_fold(w.text) AND t.doc_count > 0) AS known
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
 * Autocompletion: software names starting with the prefix or with a word starting with it
 * (most reused first), and vocabulary terms completing the last word (most used first).
 */
export async function suggest(
  db: Executor,
  input: { prefix: string; lastWord: string; head: string; limit: number },
): Promise<SuggestRow[]> {
  const pattern = sql`(public.th_fold(${input.prefix}) || '%')`;
  const wordStart = sql`('(^|[^a-z0-9])' || public.th_fold(${input.prefix}))`;
  return rows<SuggestRow>(
    db,
    sql`(SELECT 'software' AS kind, ss.name AS text, ss.slug FROM software_search ss
        WHERE ss.active AND (ss.name_fold LIKE ${pattern} OR ss.name_fold ~ ${wordStart})
        ORDER BY (ss.name_fold LIKE ${pattern}) DESC, ss.reuse_count DESC, ss.name_fold LIMIT ${input.limit})
      UNION ALL
      (SELECT 'term' AS kind, ${input.head} || t.display AS text, NULL AS slug FROM search_term t
        WHERE t.term LIKE (public.th_fold(${input.lastWord}) || '%') AND t.doc_count > 0
        ORDER BY t.doc_count DESC, t.term LIMIT ${input.limit})`,
  );
}
