ALTER TABLE "software" ADD COLUMN "has_readme" boolean GENERATED ALWAYS AS (readme_markdown IS NOT NULL) STORED NOT NULL;--> statement-breakpoint
-- hand-written below
-- GET /v1/programmes/{programme}/report (programmeReportRows): the active software of the funded
-- organisations, read by an index-only scan instead of visiting the wide software rows (READMEs,
-- publiccode.yml, descriptions: ~1.4 KB a row inline). Measured at 100,000 entries: see
-- bench/explain-report.ts. Name and licence are bounded by the API (300 and 500 characters) and
-- the name is already in a btree (software_search_name_prefix_idx).
CREATE INDEX "software_report_idx" ON "software" ("organisation_id")
  INCLUDE ("id", "slug", "name", "licence", "publiccode_valid", "has_readme", "latest_release_at") WHERE "active";
--> statement-breakpoint
-- The report's repository count per organisation and, per software, URLs, reachability and the
-- head commit's date, index-only. Replaces nothing: repository_organisation_url_idx keeps serving
-- GET /v1/repositories?organisation=… in URL order.
CREATE INDEX "repository_report_idx" ON "repository" ("organisation_id")
  INCLUDE ("software_id", "url", "crawl_state", "head_committed_at");
--> statement-breakpoint
-- The report's reuses by other organisations: only confirmed, current records count, a small
-- part of all records, read without touching the rest.
CREATE INDEX "reuse_counted_idx" ON "reuse" ("software_id") INCLUDE ("organisation_id", "status")
  WHERE "verification" = 'confirmed' AND "withdrawn_at" IS NULL AND "status" <> 'retired';
--> statement-breakpoint
-- The pairs of organisations whose reuse of each other's software is not reuse "by another
-- municipality" (issue 11 §1): one's official key among the other's member keys (a cooperation
-- and its member, both ways), a shared member key, or both members of the same cooperation.
-- The rule of th_reuse_by_other (migration 0011), set-based: the programme report anti-joins it
-- once (hash joins over the organisations that have keys) instead of calling the function per
-- reuse record (measured at 100,000 entries: 0.65 s for 11,000 confirmed records, ~60 µs a call).
-- test/db/organisation-partner.test.ts checks that the two agree; change them together.
CREATE VIEW "organisation_partner" AS
  WITH
    -- (organisation, one of its member keys): only cooperations have any.
    keyed AS MATERIALIZED (
      SELECT o.id, k.key FROM organisation o CROSS JOIN LATERAL unnest(o.member_keys) AS k(key) WHERE cardinality(o.member_keys) > 0),
    official AS MATERIALIZED (SELECT id, official_key AS key FROM organisation WHERE official_key IS NOT NULL)
  -- a member and its cooperation, both ways
  SELECT m.id AS organisation_id, c.id AS partner_id FROM keyed c JOIN official m ON m.key = c.key
  UNION SELECT c.id, m.id FROM keyed c JOIN official m ON m.key = c.key
  -- a shared member key
  UNION SELECT a.id, b.id FROM keyed a JOIN keyed b ON a.key = b.key AND a.id <> b.id
  -- both members of the same cooperation
  UNION SELECT a.id, b.id FROM keyed ca JOIN keyed cb ON cb.id = ca.id JOIN official a ON a.key = ca.key JOIN official b ON b.key = cb.key
    WHERE a.id <> b.id;
