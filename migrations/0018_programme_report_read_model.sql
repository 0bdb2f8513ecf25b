-- hand-written
-- GET /v1/programmes/{programme}/report (programmeSoftwareLines) reads the per-entry facts it
-- needs besides the entry's own columns from the search document, which triggers keep right after
-- every write: confirmed reuses by other organisations (confirmed_reuse_count and
-- confirmed_production_count, th_reuse_recount, migration 0014) and, added here, the transfer
-- package's present and applicable kinds (transfer_completeness is their ratio, but 0 where no kind
-- applies, and the report shows the counts). Counting both per call cost the report a scan of every
-- transfer item and an anti-join of the counted reuses with organisation_partner, which the planner
-- estimated at 1.4 million rows for none (measured at 100,000 entries: bench/explain-report.ts).
ALTER TABLE "software_search" ADD COLUMN "transfer_present" integer NOT NULL DEFAULT 0;
--> statement-breakpoint
-- 11: TRANSFER_KINDS.length, as in the view transfer_package_score (an entry without items).
ALTER TABLE "software_search" ADD COLUMN "transfer_applicable" integer NOT NULL DEFAULT 11;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION public.th_transfer_items_changed() RETURNS trigger LANGUAGE plpgsql
AS $$
DECLARE
  ids uuid[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    ids := ARRAY(SELECT DISTINCT software_id FROM new_rows);
  ELSIF TG_OP = 'DELETE' THEN
    ids := ARRAY(SELECT DISTINCT software_id FROM old_rows);
  ELSE
    ids := ARRAY(SELECT software_id FROM new_rows UNION SELECT software_id FROM old_rows);
  END IF;
  UPDATE software_search t
  SET transfer_completeness = c.completeness, transfer_present = c.present, transfer_applicable = c.applicable
  FROM (
    SELECT u.sid, coalesce(p.present, 0) AS present, coalesce(p.applicable, 11) AS applicable,
      coalesce(p.present::real / nullif(p.applicable, 0), 0)::real AS completeness
    FROM unnest(ids) AS u(sid)
    -- The filter on ids inside: the view's grouping pushes it down to transfer_item_software_idx
    -- (a LATERAL join on u.sid is flattened into a join with the view over every item).
    LEFT JOIN (SELECT s.software_id, s.present, s.applicable FROM transfer_package_score s WHERE s.software_id = ANY(ids)) p
      ON p.software_id = u.sid
  ) c
  WHERE t.software_id = c.sid
    AND (t.transfer_completeness, t.transfer_present, t.transfer_applicable) IS DISTINCT FROM (c.completeness, c.present, c.applicable);
  RETURN NULL;
END $$;
--> statement-breakpoint
-- Before the UPDATE below: its rows' deferred triggers would be pending, and PostgreSQL refuses
-- CREATE INDEX on a table with pending trigger events (seen on the 100,000-entry catalogue).
-- programmeSoftwareLines: the four counts per entry, index-only. Read from the table, each of the
-- 20,000 entries of a programme cost a visit to a wide row (the search document is ~3.5 KB an
-- entry): 100–300 ms of PostgreSQL CPU against 60–70 ms index-only (measured at 100,000 entries).
CREATE INDEX "software_search_report_idx" ON "software_search" ("software_id")
  INCLUDE ("transfer_present", "transfer_applicable", "confirmed_reuse_count", "confirmed_production_count");
--> statement-breakpoint
UPDATE software_search t SET transfer_present = p.present, transfer_applicable = p.applicable
FROM transfer_package_score p
WHERE p.software_id = t.software_id AND (t.transfer_present, t.transfer_applicable) IS DISTINCT FROM (p.present, p.applicable);
--> statement-breakpoint
-- The confirmed counts were recounted when an organisation's keys changed (migration 0011), not
-- when a cooperation was registered (or removed) with member keys, which makes (or unmakes)
-- partners of the organisations holding those official keys: their software's reuses by each
-- other stopped counting only at the next recount. A new organisation has neither software nor
-- reuses of its own, so only the software of those members needs recounting.
CREATE FUNCTION public.th_cooperation_added_or_removed() RETURNS trigger LANGUAGE plpgsql
AS $$
DECLARE
  keys text[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    keys := ARRAY(SELECT DISTINCT k FROM new_rows, unnest(new_rows.member_keys) AS k);
  ELSE
    keys := ARRAY(SELECT DISTINCT k FROM old_rows, unnest(old_rows.member_keys) AS k);
  END IF;
  IF cardinality(keys) > 0 THEN
    PERFORM public.th_reuse_recount(ARRAY(
      SELECT DISTINCT r.software_id FROM organisation p
      JOIN software s ON s.organisation_id = p.id
      JOIN reuse r ON r.software_id = s.id
      WHERE p.official_key = ANY(keys)));
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER th_organisation_keys_insert AFTER INSERT ON organisation
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.th_cooperation_added_or_removed();
--> statement-breakpoint
CREATE TRIGGER th_organisation_keys_delete AFTER DELETE ON organisation
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public.th_cooperation_added_or_removed();
--> statement-breakpoint
-- Counts left stale by a cooperation registered before this migration (5 s at 100,000 entries).
SELECT public.th_reuse_recount(ARRAY(SELECT DISTINCT software_id FROM reuse));
--> statement-breakpoint
-- The report no longer anti-joins the cooperation rule; th_reuse_by_other (migration 0011) stays
-- its one definition.
DROP VIEW "organisation_partner";
