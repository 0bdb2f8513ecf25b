import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../client';
import type { SearchFilter } from './facets';
import { int, literal, param, rows } from './statement';
import { organisationProvenanceJoin, summaryColumns, type SummaryRow } from './summary';
import { baseCondition, reaches, wordReaches, type TextQuery } from './text';
import { TIER, tierCondition, type Tier } from './tiers';

export type SearchHitRow = SummaryRow & {
  score: string;
  m_name: boolean;
  m_short: boolean;
  /** Features, categories or organisation name (one vector). */
  m_more: boolean;
  m_long: boolean;
  m_readme: boolean;
  /** Some word is in the entry's experience reports (README tier). */
  m_reports: boolean;
  /** README text around which to build a snippet, only when nothing shorter matched. */
  readme: string | null;
  /** The visible reports' text, for a snippet only when nothing else showed a match. */
  reports: string | null;
  tier: Tier;
  /** The boost's terms (th_boost_parts, in the order of BOOST_SIGNALS) and the signals' inputs. */
  boost_parts: string[];
  reuse_count: number;
  confirmed_production_count: number;
  transfer_completeness: number;
  release_age_days: number | null;
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
  input: { text: TextQuery; filter: SearchFilter; tiers: readonly Tier[]; after?: RankKey; limit: number; rare?: boolean; sorted?: boolean },
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
  // sorted: collect a tier's rows through the GIN indexes and sort them, instead of walking the
  // rank index until the page is full. The planner multiplies the selectivities of several words
  // (or of a word's corrections) as if independent and expects the walk to stop early; when the
  // words rarely meet it reads the whole index ("Termin Verkehr": 43 708 rows filtered, 600 ms,
  // against 15 ms for the bitmaps). `+ 0` makes the order one no index gives.
  const boostOrder = input.sorted ? sql`ss.boost + 0` : sql`ss.boost`;
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
      ORDER BY ${boostOrder} DESC, ss.slug LIMIT ${int(input.limit)})`;
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
    sql`${withCandidates}${hitDetails(sql`(${branches.length === 1 ? branches[0]! : sql`${sql.join(branches, sql` UNION ALL `)} LIMIT ${int(input.limit)}`})`, any, sql`h.tier DESC, h.boost DESC, h.slug ASC`)}`,
    { words: true },
  );
}

/** Which vectors of a hit hold a word of the query, as the in-process index found them (readme: the README level, reports included). */
export type MatchedVectors = { name: boolean; short: boolean; more: boolean; long: boolean; readme: boolean };

/**
 * The rows of hits the in-process index ranked (src/domain/search/index/), in the order given;
 * each with the OR of the words of the query that found it and the vectors they matched, which the
 * index knows: the statement reads no text vector (a long description's or README's vector of an
 * entry not in shared buffers cost milliseconds to read; 0.6 → 0.4 ms for 20 rows that were).
 * Every value is a parameter, so the statement is prepared once per connection.
 */
export async function searchHitsByIds(
  db: Executor,
  hits: { tier: Tier; softwareId: string; any: string; matched: MatchedVectors }[],
): Promise<SearchHitRow[]> {
  if (hits.length === 0) return [];
  const flags = (field: keyof MatchedVectors) => param(hits.map((x) => x.matched[field]), 'boolean');
  const h = sql`(SELECT t.tier, t.n, t.q::tsquery AS q, t.name, t.short, t.more, t.long, t.readme, ss.software_id, ss.slug, ss.boost
    FROM unnest(${param(hits.map((x) => x.softwareId), 'uuid')}, ${param(hits.map((x) => x.tier), 'int')}, ${param(hits.map((x) => x.any), 'text')},
      ${flags('name')}, ${flags('short')}, ${flags('more')}, ${flags('long')}, ${flags('readme')})
      WITH ORDINALITY AS t(id, tier, q, name, short, more, long, readme, n)
    JOIN software_search ss ON ss.software_id = t.id)`;
  return rows<SearchHitRow>(db, hitDetails(h, sql`h.q`, sql`h.n`, 'given'));
}

/**
 * Which vectors matched: checked on the row's vectors, each once per row (OFFSET 0 keeps the
 * subquery from being inlined into every use), or given by the caller in h.
 */
function matchedVectors(any: SQL, matched: 'checked' | 'given'): { join: SQL; vectors: SQL } {
  if (matched === 'given') return { join: sql``, vectors: sql`(SELECT h.name, h.short, h.more, h.long, h.tier <= ${int(TIER.long)} AND h.readme AS readme_level)` };
  return {
    join: sql`LEFT JOIN software_search_text st ON st.software_id = h.software_id`,
    vectors: sql`(SELECT ss.name_tsv @@ ${any} AS name, ss.short_tsv @@ ${any} AS short, ss.more_tsv @@ ${any} AS more,
      coalesce(st.long_tsv @@ ${any}, false) AS long,
      CASE WHEN h.tier <= ${int(TIER.long)} THEN coalesce(st.readme_tsv @@ ${any}, false) ELSE false END AS readme_level OFFSET 0)`,
  };
}

/**
 * The page's rows with their summary, matched fields and boost terms, given the hits h (tier,
 * software_id, slug, boost), the OR of the query's words, and the vectors that matched (name,
 * short, more, long, readme_level): checked on the row's vectors unless the caller knows them.
 */
function hitDetails(h: SQL, any: SQL, order: SQL, matched: 'checked' | 'given' = 'checked'): SQL {
  const { join, vectors } = matchedVectors(any, matched);
  // Which of features, categories and organisation matched (one vector) and compound-part matches
  // are told apart by the caller on the row's texts, not by analysing them again here (0.27 ms per row measured).
  return sql`SELECT ${summaryColumns}, (h.tier + h.boost)::text AS score, h.tier,
      l.name AS m_name, f.short AS m_short, f.more AS m_more, f.long AS m_long, f.readme AS m_readme,
      f.reports AS m_reports,
      CASE WHEN NOT f.long AND NOT f.short AND f.readme THEN left(s.readme_markdown, 20000) END AS readme,
      CASE WHEN NOT f.long AND NOT f.short AND NOT f.readme AND f.reports THEN left(public.th_report_text(s.id), 20000) END AS reports,
      public.th_boost_parts(ss.reuse_count, ss.confirmed_production_count, ss.transfer_completeness, ss.latest_release_at,
        ss.publiccode_valid, ss.maintained)::text[] AS boost_parts,
      ss.reuse_count, ss.confirmed_production_count, ss.transfer_completeness, current_date - ss.latest_release_at::date AS release_age_days
    FROM ${h} h
    JOIN software_search ss ON ss.software_id = h.software_id
    JOIN software s ON s.id = h.software_id
    JOIN organisation o ON o.id = s.organisation_id
    ${organisationProvenanceJoin}
    ${join}
    CROSS JOIN LATERAL ${vectors} l
    -- readme_tsv holds README and reports in one vector (one index for the tier); which of them
    -- matched is told apart for the page's rows with reports only, by analysing their texts again.
    CROSS JOIN LATERAL (SELECT CASE WHEN l.readme_level AND ss.experience_reports > 0
      THEN public.th_doc(public.th_report_text(s.id), 'D') @@ ${any} ELSE false END AS reports OFFSET 0) r
    CROSS JOIN LATERAL (SELECT l.short, l.more, l.long, r.reports, CASE WHEN NOT r.reports THEN l.readme_level
      ELSE public.th_doc(left(s.readme_markdown, 50000), 'D') @@ ${any} END AS readme OFFSET 0) f
    ORDER BY ${order}`;
}

/**
 * Whether every word matches some active entry in some field (experience reports included). Counted, not EXISTS: with LIMIT 1
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

