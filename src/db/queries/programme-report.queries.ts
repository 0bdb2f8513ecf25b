import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../client';
import { TRANSFER_KINDS } from '../schema/transfer-items';

export type ReportFilter = { programme: string; cohort?: number; state?: string };

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

/** The programme's organisations, with the report's filters (programme in any case; `state` any of an organisation's states). */
function programmeOrganisations(filter: ReportFilter) {
  return sql`
      SELECT o.id, o.slug, o.name, o.kind, o.state, o.cohort_year
      FROM organisation o
      WHERE lower(o.programme) = lower(${filter.programme})
        ${filter.cohort !== undefined ? sql`AND o.cohort_year = ${filter.cohort}` : sql``}
        ${filter.state !== undefined ? sql`AND lower(${filter.state}) IN (SELECT lower(btrim(x)) FROM unnest(string_to_array(o.state, ';')) AS x)` : sql``}`;
}

/** The distinct licence expressions of the report's active software (a few hundred at most), for the caller's licence verdicts. */
export async function programmeReportLicences(db: Executor, filter: ReportFilter): Promise<(string | null)[]> {
  const result = await db.execute(sql`
    WITH orgs AS (${programmeOrganisations(filter)})
    SELECT DISTINCT s.licence FROM software s JOIN orgs ON orgs.id = s.organisation_id WHERE s.active`);
  return (result as unknown as { rows: { licence: string | null }[] }).rows.map((row) => row.licence);
}

/** What the statement answers: the report's organisations as JSON text, and the sums its totals are made of. */
export type ReportJsonParts = {
  /** The organisations array's elements, comma-separated (without the brackets); '' for none. */
  organisations: string;
  organisation_count: number;
  organisations_without_software: number;
  repositories: number;
  software: number;
  publicly_reachable: number;
  open_licence: number;
  publiccode_valid: number;
  readme: number;
  active_last_12_months: number;
  /** Sum of the entries' rounded completeness in report order (the order the service's mean used to add them in). */
  completeness_sum: number;
  software_reused_by_others: number;
  reuses_by_others: number;
};

/** A JSON value as text, null as null (to_json gives SQL NULL for NULL). */
const json = (value: SQL) => sql`coalesce(to_json(${value})::text, 'null')`;

/**
 * The funding-obligation report in one statement, computed from the catalogue on every call
 * (never stored), with the organisations built as JSON text inside PostgreSQL: at 20,000 entries,
 * parsing 20,000 rows of 21 columns in node-postgres and shaping them took longer than the
 * statement (measured with bench/explain-report.ts). The text is byte for byte what
 * JSON.stringify gave for the same objects (keys in the same order, no spaces, PostgreSQL's
 * shortest float text and JSON string escapes are JavaScript's); test/http/programme-report.test.ts
 * checks the body against its own JSON.stringify round trip.
 * Organisations match the programme case-insensitively; `state` matches any of an organisation's
 * states (a cooperation across states stores "A;B"). Inactive (withdrawn) entries are left out;
 * an entry not yet crawled is in, with its checks false. `openLicences`: the expressions (from
 * programmeReportLicences) that the licence rule of src/metadata/licence accepts.
 */
export async function programmeReportParts(db: Executor, filter: ReportFilter, openLicences: string[]): Promise<ReportJsonParts> {
  const result = await db.execute(sql`
    WITH orgs AS (${programmeOrganisations(filter)}),
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
    ),
    open_licence AS (
      SELECT DISTINCT x AS licence FROM jsonb_array_elements_text(${JSON.stringify(openLicences)}::jsonb) AS x
    ),
    entries AS (
      SELECT s.id, s.slug, s.name, s.organisation_id, s.licence, s.has_readme,
        coalesce(pr.urls, '{}') AS urls,
        coalesce(pr.reachable, false) AS reachable,
        coalesce(s.publiccode_valid, false) AS publiccode_valid,
        s.licence IN (SELECT licence FROM open_licence) AS open,
        greatest(s.latest_release_at, pr.last_commit_at) AS last_activity_at,
        coalesce(t.present, 0) AS present,
        coalesce(t.applicable, ${TRANSFER_KINDS.length}::int) AS applicable,
        coalesce(rc.production, 0) AS production,
        coalesce(rc.other, 0) AS other
      FROM sw s
      LEFT JOIN per_software_repos pr ON pr.software_id = s.id
      LEFT JOIN transfer t ON t.software_id = s.id
      LEFT JOIN reuse_counts rc ON rc.software_id = s.id
    ),
    lines AS (
      SELECT e.*,
        e.last_activity_at > now() - interval '12 months' AS active,
        -- completenessView (src/domain/transfer): present/applicable rounded to 3 places, 1 when nothing applies.
        CASE WHEN e.applicable = 0 THEN 1::float8 ELSE round(e.present::numeric / e.applicable, 3)::float8 END AS completeness
      FROM entries e
    ),
    software_json AS (
      SELECT l.*,
        '{"id":' || ${json(sql`l.id`)} || ',"slug":' || ${json(sql`l.slug`)} || ',"name":' || ${json(sql`l.name`)}
        || ',"repositories":' || array_to_json(l.urls)::text
        || ',"publiclyReachable":' || l.reachable::text || ',"licence":' || ${json(sql`l.licence`)}
        || ',"openLicence":' || coalesce(l.open, false)::text || ',"publiccodeValid":' || l.publiccode_valid::text
        || ',"readme":' || ${json(sql`l.has_readme`)}
        || ',"lastActivityAt":' || ${json(sql`to_char(l.last_activity_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`)}
        || ',"activeLast12Months":' || coalesce(l.active, false)::text
        || ',"transferPackage":{"present":' || l.present || ',"applicable":' || l.applicable || ',"completeness":' || l.completeness::text
        || '},"reusesByOthers":{"production":' || l.production || ',"other":' || l.other || '}}' AS j
      FROM lines l
    ),
    software_per_organisation AS (
      SELECT organisation_id, string_agg(j, ',' ORDER BY slug) AS j FROM software_json GROUP BY organisation_id
    ),
    per_organisation AS (
      SELECT o.id, o.name,
        '{"id":' || ${json(sql`o.id`)} || ',"slug":' || ${json(sql`o.slug`)} || ',"name":' || ${json(sql`o.name`)}
        || ',"kind":' || ${json(sql`o.kind`)} || ',"state":' || ${json(sql`o.state`)} || ',"cohortYear":' || ${json(sql`o.cohort_year`)}
        || ',"repositoryCount":' || coalesce(por.n, 0) || ',"software":['
        || coalesce(spo.j, '') || ']}' AS j,
        coalesce(por.n, 0) AS repositories
      FROM orgs o
      LEFT JOIN per_organisation_repos por ON por.organisation_id = o.id
      LEFT JOIN software_per_organisation spo ON spo.organisation_id = o.id
    )
    SELECT
      coalesce((SELECT string_agg(j, ',' ORDER BY name, id) FROM per_organisation), '') AS organisations,
      (SELECT count(*) FROM per_organisation)::int AS organisation_count,
      (SELECT count(*) FROM orgs o WHERE NOT EXISTS (SELECT 1 FROM sw WHERE sw.organisation_id = o.id))::int AS organisations_without_software,
      (SELECT coalesce(sum(repositories), 0) FROM per_organisation)::int AS repositories,
      count(*)::int AS software,
      count(*) FILTER (WHERE l.reachable)::int AS publicly_reachable,
      count(*) FILTER (WHERE l.open)::int AS open_licence,
      count(*) FILTER (WHERE l.publiccode_valid)::int AS publiccode_valid,
      count(*) FILTER (WHERE l.has_readme)::int AS readme,
      count(*) FILTER (WHERE l.active)::int AS active_last_12_months,
      coalesce(sum(l.completeness ORDER BY o.name, o.id, l.slug), 0)::float8 AS completeness_sum,
      count(*) FILTER (WHERE l.production + l.other > 0)::int AS software_reused_by_others,
      coalesce(sum(l.production + l.other), 0)::int AS reuses_by_others
    FROM lines l JOIN orgs o ON o.id = l.organisation_id
  `);
  return (result as unknown as { rows: ReportJsonParts[] }).rows[0]!;
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
