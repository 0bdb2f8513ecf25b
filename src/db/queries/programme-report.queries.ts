import { sql } from 'drizzle-orm';
import type { Executor } from '../client';
import { TRANSFER_KINDS } from '../schema/transfer-items';

export type ReportFilter = { programme: string; cohort?: number; state?: string };

/** A funded organisation of the report, with the number of repositories it registered. */
export type ReportOrganisationRow = {
  id: string;
  slug: string;
  name: string;
  kind: string;
  state: string | null;
  cohort_year: number | null;
  repository_count: number;
};

/** One active software entry of a funded organisation, with the obligations it meets. */
export type ReportSoftwareRow = {
  organisation_id: string;
  id: string;
  slug: string;
  name: string;
  licence: string | null;
  repository_urls: string[] | null;
  publicly_reachable: boolean;
  publiccode_valid: boolean;
  has_readme: boolean;
  last_activity_at: string | null;
  active_last_12_months: boolean;
  transfer_present: number;
  transfer_applicable: number;
  reuses_production: number;
  reuses_other: number;
};

/**
 * The programme's organisations: matched case-insensitively; `state` matches any of an
 * organisation's states (a cooperation across states stores "A;B").
 */
function funded(filter: ReportFilter) {
  return sql`lower(o.programme) = lower(${filter.programme})
    ${filter.cohort !== undefined ? sql`AND o.cohort_year = ${filter.cohort}` : sql``}
    ${filter.state !== undefined ? sql`AND lower(${filter.state}) IN (SELECT lower(btrim(x)) FROM unnest(string_to_array(o.state, ';')) AS x)` : sql``}`;
}

function rows<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}

/** The report's organisations in its order (name, then id for namesakes); the repository count is index-only (repository_report_idx). */
export async function programmeOrganisations(db: Executor, filter: ReportFilter): Promise<ReportOrganisationRow[]> {
  const result = await db.execute(sql`
    SELECT o.id, o.slug, o.name, o.kind, o.state, o.cohort_year,
      (SELECT count(*) FROM repository r WHERE r.organisation_id = o.id)::int AS repository_count
    FROM organisation o
    WHERE ${funded(filter)}
    ORDER BY o.name, o.id
  `);
  return rows<ReportOrganisationRow>(result);
}

/**
 * The active entries of the programme's organisations, by organisation and slug. Inactive
 * (withdrawn) entries are left out; an entry not yet crawled is in, with its checks false.
 * Reuses by other organisations and the transfer package come from the search document, where
 * triggers recount them after every write of a reuse, a transfer item, an entry or an
 * organisation's keys (migrations 0011, 0014, 0017): reuses the producer confirmed, not withdrawn,
 * not retired, by neither the owner nor a partner of its cooperation (th_reuse_by_other), as the
 * entry's own counts. Counted here per call, they were most of the statement's time.
 * URLs as json: node-postgres and PGlite parse it natively, a text[] by a parser in JavaScript.
 */
export async function programmeSoftwareLines(db: Executor, filter: ReportFilter): Promise<ReportSoftwareRow[]> {
  const result = await db.execute(sql`
    WITH orgs AS (SELECT o.id FROM organisation o WHERE ${funded(filter)}),
    repos AS (
      SELECT r.software_id, json_agg(r.url ORDER BY r.url) AS urls,
        -- "publicly reachable": the last crawl of a repository succeeded (or found it unchanged).
        bool_or(r.crawl_state IN ('succeeded', 'unchanged')) AS reachable,
        max(r.head_committed_at) AS last_commit_at
      FROM repository r JOIN orgs ON orgs.id = r.organisation_id
      WHERE r.software_id IS NOT NULL
      GROUP BY r.software_id
    )
    SELECT s.organisation_id, s.id, s.slug, s.name, s.licence, pr.urls AS repository_urls,
      coalesce(pr.reachable, false) AS publicly_reachable,
      coalesce(s.publiccode_valid, false) AS publiccode_valid,
      s.has_readme,
      to_char(greatest(s.latest_release_at, pr.last_commit_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS last_activity_at,
      coalesce(greatest(s.latest_release_at, pr.last_commit_at) > now() - interval '12 months', false) AS active_last_12_months,
      coalesce(d.transfer_present, 0) AS transfer_present,
      coalesce(d.transfer_applicable, ${TRANSFER_KINDS.length}::int) AS transfer_applicable,
      coalesce(d.confirmed_production_count, 0) AS reuses_production,
      coalesce(d.confirmed_reuse_count - d.confirmed_production_count, 0) AS reuses_other
    FROM orgs
    JOIN software s ON s.organisation_id = orgs.id AND s.active
    LEFT JOIN repos pr ON pr.software_id = s.id
    LEFT JOIN software_search d ON d.software_id = s.id
    ORDER BY s.organisation_id, s.slug
  `);
  return rows<ReportSoftwareRow>(result);
}

/**
 * Room for the report's sorts and hashes in this transaction only: at 20,000 funded entries they
 * take about 20 MB, and PostgreSQL's default work_mem (4 MB) spills them to disk (measured: the
 * sorts ran as external merges). 64 MB leaves headroom for larger programmes; it is a per-operation
 * limit of these statements, not a permanent setting of the connection.
 * No JIT either: the planner cannot estimate the CTEs, which can cross jit_above_cost, and
 * compiling the plan took 0.2–8 s on a loaded machine for statements that run in a fraction of
 * that (measured with bench/explain-report.ts).
 */
export async function allowReportMemory(tx: Executor) {
  await tx.execute(sql`SET LOCAL work_mem = '64MB'`);
  await tx.execute(sql`SET LOCAL jit = off`);
}

/** Whether any organisation belongs to the programme (an unknown programme is a 404, an empty filter result is not). */
export async function programmeExists(db: Executor, programme: string): Promise<boolean> {
  const result = await db.execute(sql`SELECT 1 FROM organisation WHERE lower(programme) = lower(${programme}) LIMIT 1`);
  return rows(result).length > 0;
}
