import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../client';
import { FACET_KEYS, FACETS, facetConditions, withoutFacets, type FacetKey, type FacetSpec, type SearchFilter } from './facets';
import { int, literal, or, rows } from './statement';
import { baseCondition, wordReaches, type TextQuery } from './text';

export type FacetCountRow = { facet: FacetKey; value: string; count: number };

/**
 * The share of the table's pages a sampled count reads (TABLESAMPLE SYSTEM, in percent): 1/32.
 * Counting the facets of "Daten" (62 % of the 100 000 bench entries) exactly reads and groups
 * 61 660 rows, 1.9 s on the loaded bench machine; the sample reads 1/32 of that. Fixed seed
 * (REPEATABLE): the same query gives the same counts until the table changes.
 */
const SAMPLE_PERCENT = 3.125;
const SAMPLE_SEED = 7;

export type FacetCounts = {
  rows: FacetCountRow[];
  /** Entries counted: all matching entries, or in a sample those of the sampled pages. */
  matched: number;
  /** Sampled: each count is the sample's count scaled to the table. */
  sampled: boolean;
};

/**
 * Counts per facet value for the current query and filters, one branch per row of FACETS. Each
 * facet is counted with every filter except its own, so a user sees what choosing another value
 * of that facet would give (OR within a facet); the other facets' filters apply (AND across
 * facets). With a query, entries matching in the primary fields or long descriptions are counted
 * (not README-only matches). The matched entries are read once (MATERIALIZED), each with its
 * facet values and one flag per facet filter.
 *
 * sample: count on a fixed 1/32 sample of the table's pages and scale the counts up; for queries
 * that match a large part of the catalogue, where exact counting costs seconds (see SAMPLE_PERCENT).
 */
export async function facetCounts(
  db: Executor,
  input: { text: TextQuery | null; filter: SearchFilter; maxValues: number; sample?: boolean },
): Promise<FacetCounts> {
  const conditions = facetConditions(input.filter);
  const others = (except: FacetKey) => {
    const flags = FACET_KEYS.filter((k) => k !== except).map((k) => sql.raw(`m."f_${k}"`));
    return flags.length ? sql.join(flags, sql` AND `) : sql`true`;
  };
  const carried = FACET_KEYS.map((k) => sql`${FACETS[k].column} AS ${sql.raw(`"v_${k}"`)}, ${conditions[k]} AS ${sql.raw(`"f_${k}"`)}`);
  const scale = input.sample ? sql`(SELECT f FROM scale)` : sql`1`;
  const branch = (key: FacetKey) => {
    const spec: FacetSpec = FACETS[key];
    const group: SQL = spec.group ?? sql`x.v`;
    return sql`(SELECT ${key}::text AS facet, min(x.v) AS value, round(count(*) * ${scale})::int AS count
      FROM (SELECT ${spec.value(sql.raw(`m."v_${key}"`))} AS v FROM m WHERE ${others(key)}) x
      WHERE x.v IS NOT NULL GROUP BY ${group} ORDER BY count(*) DESC, min(x.v) LIMIT ${int(input.maxValues)})`;
  };
  const matched = sql`(SELECT '_matched'::text AS facet, NULL::text AS value, count(*)::int AS count FROM m)`;
  const branches = sql.join([matched, ...FACET_KEYS.map(branch)], sql` UNION ALL `);
  const unfiltered = withoutFacets(input.filter);
  const statement = input.sample
    ? // The sampled pages, the long-description vectors of their rows by key (not the whole GIN
      // index of a common word), and the factor from sampled rows to the table's rows.
      sql`WITH m AS MATERIALIZED (
        SELECT ${sql.join(carried, sql`, `)}
        FROM software_search ss TABLESAMPLE SYSTEM (${sql.raw(String(SAMPLE_PERCENT))}) REPEATABLE (${int(SAMPLE_SEED)})
        WHERE ${baseCondition(unfiltered, null)}${input.text ? sql` AND ${sampledText(input.text)}` : sql``}
      ), scale AS (
        -- The table's rows as the statistics know them (exact count only when never analysed)
        -- over the sampled pages' rows, active or not on both sides.
        SELECT coalesce((SELECT nullif(greatest(c.reltuples, 0), 0) FROM pg_class c WHERE c.oid = 'public.software_search'::regclass),
            (SELECT count(*) FROM software_search))::float8
          / greatest((SELECT count(*) FROM software_search TABLESAMPLE SYSTEM (${sql.raw(String(SAMPLE_PERCENT))}) REPEATABLE (${int(SAMPLE_SEED)})), 1) AS f
      )
      ${branches}`
    : sql`WITH m AS MATERIALIZED (
        SELECT ${sql.join(carried, sql`, `)}
        FROM software_search ss
        WHERE ${baseCondition(unfiltered, input.text)}
      )
      ${branches}`;
  const all = await rows<{ facet: FacetKey | '_matched'; value: string; count: number }>(db, statement, { words: input.text !== null });
  const total = all.find((r) => r.facet === '_matched');
  return {
    rows: all.filter((r): r is FacetCountRow => r.facet !== '_matched'),
    matched: total?.count ?? 0,
    sampled: input.sample === true,
  };
}

/**
 * Every word in the primary fields or the long descriptions, for a sampled row. The long vector is
 * looked up by key per row (a scalar sub-select) and only when the primary fields miss: a join let
 * the planner hash all 100 000 text rows for 6 000 sampled ones (65 ms).
 */
function sampledText(text: TextQuery): SQL {
  const long = sql`(SELECT x.long_tsv FROM software_search_text x WHERE x.software_id = ss.software_id)`;
  return sql.join(
    text.words.map((w) => or([wordReaches(w, 'keywords'), sql`${long} @@ ${literal(w.tsquery)}::tsquery`])),
    sql` AND `,
  );
}
