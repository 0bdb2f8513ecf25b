import { sql } from 'drizzle-orm';
import type { Executor } from '../client';
import { TRANSFER_KINDS } from '../schema/transfer-items';

export type ReportFilter = { programme: string; cohort?: number; state?: string };

/** One row per funded organisation and active software entry; an organisation without software has one row with software null. */
export type ReportRow = {
  organisation_id: string;
  organisation_slug: string;
  organisation_name: string;
  organisation_kind: string;
  state: string | null;
  cohort_year: number | null;
  repository_count: number;
  software_id: string | null;
  software_slug: string | null;
  software_name: string | null;
  licence: string | null;
  repository_urls: string[] | null;
  publicly_reachable: boolean | null;
  publiccode_valid: boolean | null;
  has_readme: boolean | null;
  last_activity_at: string | null;
  active_last_12_months: boolean | null;
  transfer_present: number | null;
  transfer_applicable: number | null;
  reuses_production: number | null;
  reuses_other: number | null;
};

/**
 * Which reuse records the report counts as reuse "by another organisation": confirmed by the
 * producer (issue 11 §1), not withdrawn, not retired, and not the owner's own or a fellow member's
 * of a cooperation: the rule of th_reuse_by_other (migration 0011, the one the software counts
 * use), as an anti-join on its set-based form organisation_partner (migration 0013), since one
 * function call per record cost 0.65 s of the report at 100,000 entries.
 */
const COUNTED_REUSE = sql`u.verification = 'confirmed' AND u.withdrawn_at IS NULL AND u.status <> 'retired'
  AND u.organisation_id <> s.organisation_id
  AND NOT EXISTS (SELECT 1 FROM organisation_partner op WHERE op.organisation_id = u.organisation_id AND op.partner_id = s.organisation_id)`;

/**
 * The funding-obligation report in one statement, computed from the catalogue on every call
 * (never stored). Organisations match the programme case-insensitively; `state` matches any of an
 * organisation's states (a cooperation across states stores "A;B"). Inactive (withdrawn) entries
 * are left out; an entry not yet crawled is in, with its checks false.
 */
export async function programmeReportRows(db: Executor, filter: ReportFilter): Promise<ReportRow[]> {
  const result = await db.execute(sql`
    WITH orgs AS (
      SELECT o.id, o.slug, o.name, o.kind, o.state, o.cohort_year
      FROM organisation o
      WHERE lower(o.programme) = lower(${filter.programme})
        ${filter.cohort !== undefined ? sql`AND o.cohort_year = ${filter.cohort}` : sql``}
        ${filter.state !== undefined ? sql`AND lower(${filter.state}) IN (SELECT lower(btrim(x)) FROM unnest(string_to_array(o.state, ';')) AS x)` : sql``}
    ),
    repos AS (
      SELECT r.organisation_id, r.software_id, r.url, r.crawl_state, r.head_committed_at
      FROM repository r JOIN orgs ON orgs.id = r.organisation_id
    ),
    sw AS (
      SELECT s.id, s.slug, s.name, s.organisation_id, s.licence, s.publiccode_valid, s.has_readme, s.latest_release_at
      FROM software s JOIN orgs ON orgs.id = s.organisation_id
      WHERE s.active
    ),
    per_organisation_repos AS (
      SELECT organisation_id, count(*)::int AS n FROM repos GROUP BY organisation_id
    ),
    per_software_repos AS (
      SELECT software_id, array_agg(url ORDER BY url) AS urls,
        -- "publicly reachable": the last crawl of a repository succeeded (or found it unchanged).
        bool_or(crawl_state IN ('succeeded', 'unchanged')) AS reachable,
        max(head_committed_at) AS last_commit_at
      FROM repos WHERE software_id IS NOT NULL GROUP BY software_id
    ),
    -- The rule of the view transfer_package_score (migration 0007), over the programme's items only:
    -- joined as a view, the planner aggregates every item of the catalogue first (measured: 0.4 s
    -- of the report's 1.9 s at 100,000 entries), since it cannot push a join into a GROUP BY.
    transfer AS (
      SELECT k.software_id, count(*) FILTER (WHERE NOT k.not_applicable)::int AS present,
        (${TRANSFER_KINDS.length}::int - count(*) FILTER (WHERE k.not_applicable))::int AS applicable
      FROM (
        SELECT ti.software_id, ti.kind, bool_or(ti.not_applicable AND ti.source = 'declared') AS not_applicable
        FROM transfer_item ti JOIN sw ON sw.id = ti.software_id
        GROUP BY ti.software_id, ti.kind
      ) k
      GROUP BY k.software_id
    ),
    reuse_counts AS (
      SELECT u.software_id,
        count(*) FILTER (WHERE u.status = 'production')::int AS production,
        count(*) FILTER (WHERE u.status <> 'production')::int AS other
      FROM reuse u JOIN sw s ON s.id = u.software_id
      WHERE ${COUNTED_REUSE}
      GROUP BY u.software_id
    )
    SELECT o.id AS organisation_id, o.slug AS organisation_slug, o.name AS organisation_name, o.kind AS organisation_kind,
      o.state, o.cohort_year,
      coalesce(por.n, 0) AS repository_count,
      s.id AS software_id, s.slug AS software_slug, s.name AS software_name, s.licence,
      pr.urls AS repository_urls,
      CASE WHEN s.id IS NULL THEN NULL ELSE coalesce(pr.reachable, false) END AS publicly_reachable,
      CASE WHEN s.id IS NULL THEN NULL ELSE coalesce(s.publiccode_valid, false) END AS publiccode_valid,
      s.has_readme,
      to_char(greatest(s.latest_release_at, pr.last_commit_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS last_activity_at,
      CASE WHEN s.id IS NULL THEN NULL ELSE coalesce(greatest(s.latest_release_at, pr.last_commit_at) > now() - interval '12 months', false) END AS active_last_12_months,
      CASE WHEN s.id IS NULL THEN NULL ELSE coalesce(t.present, 0) END AS transfer_present,
      CASE WHEN s.id IS NULL THEN NULL ELSE coalesce(t.applicable, ${TRANSFER_KINDS.length}::int) END AS transfer_applicable,
      CASE WHEN s.id IS NULL THEN NULL ELSE coalesce(rc.production, 0) END AS reuses_production,
      CASE WHEN s.id IS NULL THEN NULL ELSE coalesce(rc.other, 0) END AS reuses_other
    FROM orgs o
    LEFT JOIN per_organisation_repos por ON por.organisation_id = o.id
    LEFT JOIN sw s ON s.organisation_id = o.id
    LEFT JOIN per_software_repos pr ON pr.software_id = s.id
    LEFT JOIN transfer t ON t.software_id = s.id
    LEFT JOIN reuse_counts rc ON rc.software_id = s.id
    ORDER BY o.name, o.id, s.slug
  `);
  return (result as unknown as { rows: ReportRow[] }).rows;
}

/**
 * Room for the report's sorts and hashes in this transaction only: at 20,000 funded entries they
 * take about 20 MB, and PostgreSQL's default work_mem (4 MB) spills them to disk (measured: the
 * sorts ran as external merges). 64 MB leaves headroom for larger programmes; it is a per-operation
 * limit of this one statement, not a permanent setting of the connection.
 * No JIT either: the planner cannot estimate the CTEs and the partner view (it guessed millions of
 * rows for none), which crosses jit_above_cost, and compiling the plan took 0.2–8 s on a loaded
 * machine for a statement that runs in a fraction of that (measured with bench/explain-report.ts).
 */
export async function allowReportMemory(tx: Executor) {
  await tx.execute(sql`SET LOCAL work_mem = '64MB'`);
  await tx.execute(sql`SET LOCAL jit = off`);
}

/** Whether any organisation belongs to the programme (an unknown programme is a 404, an empty filter result is not). */
export async function programmeExists(db: Executor, programme: string): Promise<boolean> {
  const result = await db.execute(sql`SELECT 1 FROM organisation WHERE lower(programme) = lower(${programme}) LIMIT 1`);
  return (result as unknown as { rows: unknown[] }).rows.length > 0;
}
