import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../client';
import { FACET_KEYS, FACETS, facetConditions, withoutFacets, type FacetKey, type FacetSpec, type SearchFilter } from './facets';
import { int, rows } from './statement';
import { baseCondition, type TextQuery } from './text';

export type FacetCountRow = { facet: FacetKey; value: string; count: number };

/**
 * Counts per facet value for the current query and filters, one branch per row of FACETS. Each
 * facet is counted with every filter except its own, so a user sees what choosing another value
 * of that facet would give (OR within a facet); the other facets' filters apply (AND across
 * facets). With a query, entries matching in the primary fields or long descriptions are counted
 * (not README-only matches). The matched entries are read once (MATERIALIZED), each with its
 * facet values and one flag per facet filter.
 */
export async function facetCounts(
  db: Executor,
  input: { text: TextQuery | null; filter: SearchFilter; maxValues: number },
): Promise<FacetCountRow[]> {
  const conditions = facetConditions(input.filter);
  const others = (except: FacetKey) => {
    const flags = FACET_KEYS.filter((k) => k !== except).map((k) => sql.raw(`m."f_${k}"`));
    return flags.length ? sql.join(flags, sql` AND `) : sql`true`;
  };
  const carried = FACET_KEYS.map((k) => sql`${FACETS[k].column} AS ${sql.raw(`"v_${k}"`)}, ${conditions[k]} AS ${sql.raw(`"f_${k}"`)}`);
  const branch = (key: FacetKey) => {
    const spec: FacetSpec = FACETS[key];
    const group: SQL = spec.group ?? sql`x.v`;
    return sql`(SELECT ${key}::text AS facet, min(x.v) AS value, count(*)::int AS count
      FROM (SELECT ${spec.value(sql.raw(`m."v_${key}"`))} AS v FROM m WHERE ${others(key)}) x
      WHERE x.v IS NOT NULL GROUP BY ${group} ORDER BY count(*) DESC, min(x.v) LIMIT ${int(input.maxValues)})`;
  };
  return rows<FacetCountRow>(
    db,
    sql`WITH m AS MATERIALIZED (
      SELECT ${sql.join(carried, sql`, `)}
      FROM software_search ss
      WHERE ${baseCondition(withoutFacets(input.filter), input.text)}
    )
    ${sql.join(FACET_KEYS.map(branch), sql` UNION ALL `)}`,
    { words: input.text !== null },
  );
}
