import { sql } from 'drizzle-orm';
import type { SortedAfter } from '../../../lib/cursor';
import type { Executor } from '../../client';
import { afterSql, orderBySql, sortKeySql, type SortSpec } from '../keyset';
import type { SearchFilter } from './facets';
import { rows } from './statement';
import { organisationProvenanceJoin, summaryColumns, type SummaryRow } from './summary';
import { baseCondition } from './text';

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
      JOIN software_search ss ON ss.software_id = h.software_id
      JOIN software s ON s.id = h.software_id
      JOIN organisation o ON o.id = s.organisation_id
      ${organisationProvenanceJoin}
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
      JOIN software_search ss ON ss.software_id = h.software_id
      JOIN software s ON s.id = h.software_id
      JOIN organisation o ON o.id = s.organisation_id
      ${organisationProvenanceJoin}
      ORDER BY h.n`,
  );
}

