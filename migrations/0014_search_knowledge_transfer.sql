-- hand-written below
-- Knowledge transfer in search (issue 11 §2 and §3, issue 13's ranking bullet): experience reports
-- join the search document, confirmed production reuses, transfer-package completeness and recent
-- releases order a tier (th_boost), and the transfer package is a facet. Every new value is a plain
-- column of software_search (or software_search_text), so an index outside PostgreSQL can load it.
--
-- Experience reports at README level: what reusers wrote (adaptations, what worked, what did not)
-- in the visible reports joins the README's vector (software_search_text.readme_tsv = README ||
-- reports, th_readme_level_doc). README level because a report is about running the software
-- somewhere, not a description of it: a word only reusers used should find the entry, below every
-- entry whose own texts name it. One vector, not a second one: a second vector made the README
-- tier's condition an OR of two indexes, which the planner answered with a sequential scan of
-- every text row (189 ms against 1.5 ms for "Termin Verkehr" at 10,000 entries). The producer's
-- answer is left out: the search should find what reusers said; the producer's own words are its
-- descriptions and README.
CREATE FUNCTION public.th_readme_level_doc(readme text, reports text) RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
  -- 50,000 characters each bound the work per write; text beyond that adds little to recall.
  SELECT public.th_doc(left(readme, 50000), 'D') || CASE WHEN reports IS NULL THEN ''::tsvector ELSE public.th_doc(left(reports, 50000), 'D') END
$$;
--> statement-breakpoint
-- Visible reports per entry: moves with every change of the reports in readme_tsv (create, hide, unhide), so the
-- software_search row changes (catalogue revision, and a reader following that table sees it).
ALTER TABLE "software_search" ADD COLUMN "experience_reports" integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
-- Reuses in production by another organisation that the producer confirmed: the strongest ranking signal.
ALTER TABLE "software_search" ADD COLUMN "confirmed_production_count" integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
-- The transfer-package facet (GET /v1/software?transferPackage=…): a band of transfer_completeness,
-- 'none' (0), 'under-half', 'half-or-more' (≥ 0.5), 'complete' (1); kept by th_search_derived.
ALTER TABLE "software_search" ADD COLUMN "transfer_package" text DEFAULT 'none' NOT NULL;
--> statement-breakpoint
-- The text of an entry's visible reports, oldest first: the search vector and the result snippet read it.
CREATE FUNCTION public.th_report_text(software uuid) RETURNS text LANGUAGE sql STABLE
AS $$
  SELECT string_agg(concat_ws(' ', e.adaptations, e.what_worked_markdown, e.what_did_not_work_markdown), ' ' ORDER BY e.created_at, e.id)
  FROM experience_report e WHERE e.software_id = software AND e.hidden_at IS NULL
$$;
--> statement-breakpoint
CREATE FUNCTION public.th_experience_reports_changed() RETURNS trigger LANGUAGE plpgsql
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
  UPDATE software_search_text t SET readme_tsv = public.th_readme_level_doc(s.readme_markdown, public.th_report_text(s.id))
  FROM software s WHERE s.id = t.software_id AND t.software_id = ANY(ids);
  UPDATE software_search t SET experience_reports = c.n
  FROM (
    SELECT u.sid, (SELECT count(*) FROM experience_report e WHERE e.software_id = u.sid AND e.hidden_at IS NULL)::int AS n
    FROM unnest(ids) AS u(sid)
  ) c
  WHERE t.software_id = c.sid AND t.experience_reports IS DISTINCT FROM c.n;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER th_experience_report_search_insert AFTER INSERT ON experience_report
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.th_experience_reports_changed();
--> statement-breakpoint
-- Hiding and unhiding (hidden_at), and any change of the texts. A statement trigger with transition
-- tables cannot name columns, so an answer runs it too (one entry's reports, written again unchanged).
CREATE TRIGGER th_experience_report_search_update AFTER UPDATE ON experience_report
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.th_experience_reports_changed();
--> statement-breakpoint
CREATE TRIGGER th_experience_report_search_delete AFTER DELETE ON experience_report
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public.th_experience_reports_changed();
--> statement-breakpoint
-- readme_tsv is in software_search_text, which moves no revision by itself: a change of what search
-- finds moves the catalogue revision (answer caches), as writes to software and software_search do.
CREATE CONSTRAINT TRIGGER th_experience_report_revision AFTER INSERT OR DELETE
  OR UPDATE OF hidden_at, adaptations, what_worked_markdown, what_did_not_work_markdown ON experience_report
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION public.th_bump_revision();
--> statement-breakpoint
-- The boost's terms, one per signal, in the order of BOOST_SIGNALS (src/domain/search/presentation.ts):
-- reusesByOthers, confirmedProductionReuses, transferCompleteness, recentRelease, publiccodeValid,
-- maintained; each rounded as stored. The one place the weights live: th_boost sums these, and the
-- search answer shows them (search.ranking.signals). One expression over plain columns, so
-- PostgreSQL inlines it: a set-returning version cost ~0.07 ms per result row on the loaded bench
-- machine, the array a tenth of that. Weights, so that the boost stays below 1 (under the next
-- tier) for any realistic entry:
--   reuses by other organisations    0.05 · ln(1 + n)   (3 → 0.069, 10 → 0.120)
--   of them confirmed in production  0.08 · ln(1 + n)   (1 → 0.055, 3 → 0.111): on top, the strongest evidence
--   transfer-package completeness    0.06 · share       (complete: 0.06, as a release this quarter)
--   latest release                   0.06 within 90 days, 0.04 within a year
--   valid publiccode.yml, maintained 0.02 each
CREATE FUNCTION public.th_boost_parts(reuse_count integer, confirmed_production integer, completeness real,
  released timestamp with time zone, publiccode_valid boolean, maintained boolean) RETURNS numeric[]
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
  SELECT ARRAY[
    round((0.05 * ln(1 + reuse_count))::numeric, 6),
    round((0.08 * ln(1 + confirmed_production))::numeric, 6),
    round((0.06 * completeness)::numeric, 6),
    CASE WHEN released >= current_date - 90 THEN 0.06 WHEN released >= current_date - 365 THEN 0.04 ELSE 0 END,
    CASE WHEN publiccode_valid THEN 0.02 ELSE 0 END,
    CASE WHEN maintained THEN 0.02 ELSE 0 END]
$$;
--> statement-breakpoint
-- The old signature (reuse count, release, publiccode.yml, maintenance) computed in three callers;
-- the boost is now a function of the row, kept by th_search_derived.
DROP FUNCTION public.th_boost(integer, timestamp with time zone, boolean, boolean);
--> statement-breakpoint
DROP FUNCTION public.th_boost_until(timestamp with time zone);
--> statement-breakpoint
CREATE FUNCTION public.th_boost(s public.software_search) RETURNS numeric LANGUAGE sql STABLE PARALLEL SAFE
AS $$
  SELECT least((SELECT sum(p) FROM unnest(public.th_boost_parts(s.reuse_count, s.confirmed_production_count,
    s.transfer_completeness, s.latest_release_at, s.publiccode_valid, s.maintained)) AS p), 0.999999)
$$;
--> statement-breakpoint
-- When the boost changes by itself (a release leaves the 90-day or the one-year window): the
-- expire-search-boosts job recomputes rows past it.
CREATE FUNCTION public.th_boost_until(s public.software_search) RETURNS timestamp with time zone LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT CASE WHEN s.latest_release_at >= current_date - 90 THEN (s.latest_release_at::date + 91)::timestamptz
  WHEN s.latest_release_at >= current_date - 365 THEN (s.latest_release_at::date + 366)::timestamptz END $$;
--> statement-breakpoint
CREATE FUNCTION public.th_transfer_band(completeness real) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT CASE WHEN completeness >= 1 THEN 'complete' WHEN completeness >= 0.5 THEN 'half-or-more'
  WHEN completeness > 0 THEN 'under-half' ELSE 'none' END $$;
--> statement-breakpoint
-- The columns derived from a row's own signals, whoever writes them (refresh, reuse recount,
-- transfer items): boost, boost_until and the transfer-package band.
CREATE FUNCTION public.th_search_derived() RETURNS trigger LANGUAGE plpgsql
AS $$
BEGIN
  NEW.boost := public.th_boost(NEW);
  NEW.boost_until := public.th_boost_until(NEW);
  NEW.transfer_package := public.th_transfer_band(NEW.transfer_completeness);
  RETURN NEW;
END $$;
--> statement-breakpoint
-- A new signal column joins this list and th_boost_parts (src/domain/search/README.md).
CREATE TRIGGER th_software_search_derived BEFORE INSERT OR UPDATE OF reuse_count, confirmed_production_count,
  transfer_completeness, latest_release_at, publiccode_valid, maintained ON software_search
  FOR EACH ROW EXECUTE FUNCTION public.th_search_derived();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION public.th_search_expire_boosts() RETURNS integer LANGUAGE sql
AS $$
  WITH expired AS (
    UPDATE software_search t SET boost = public.th_boost(t), boost_until = public.th_boost_until(t)
    WHERE boost_until < now()
    RETURNING 1
  )
  SELECT count(*)::int FROM expired
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION public.th_reuse_recount(ids uuid[]) RETURNS void LANGUAGE sql
AS $$
  UPDATE software_search t SET reuse_count = c.n, production_reuse = c.production,
    confirmed_reuse = c.confirmed > 0, confirmed_reuse_count = c.confirmed, confirmed_production_count = c.confirmed_production
  FROM (
    SELECT s.id AS sid,
      count(r.id)::int AS n,
      coalesce(bool_or(r.status = 'production'), false) AS production,
      (count(r.id) FILTER (WHERE r.verification = 'confirmed'))::int AS confirmed,
      (count(r.id) FILTER (WHERE r.verification = 'confirmed' AND r.status = 'production'))::int AS confirmed_production
    FROM software s
    LEFT JOIN reuse r ON r.software_id = s.id AND r.withdrawn_at IS NULL AND r.status <> 'retired'
      AND r.verification <> 'disputed' AND public.th_reuse_by_other(r.organisation_id, s.organisation_id)
    WHERE s.id = ANY(ids)
    GROUP BY s.id
  ) c
  WHERE t.software_id = c.sid
    AND (t.reuse_count, t.production_reuse, t.confirmed_reuse_count, t.confirmed_production_count)
      IS DISTINCT FROM (c.n, c.production, c.confirmed, c.confirmed_production);
$$;
--> statement-breakpoint
-- As migration 0003 defined it, without boost and boost_until (th_search_derived computes them),
-- and with the experience reports in readme_tsv.
CREATE OR REPLACE FUNCTION public.th_search_refresh(ids uuid[]) RETURNS void LANGUAGE sql
AS $$
  INSERT INTO software_search AS t (software_id, slug, name, name_fold, keywords, active, organisation_id, licence,
    categories, development_status, states, organisation_kind, cohort_year, reuse_count, production_reuse,
    publiccode_valid, maintained, latest_release_at, name_tsv, short_tsv, more_tsv)
  SELECT x.id, x.slug, x.name, x.name_fold, x.keywords, x.active, x.organisation_id, x.licence, x.categories,
    x.development_status, x.states, x.kind, x.cohort_year, x.reuse_count, x.production_reuse, x.publiccode_valid,
    x.maintained, x.latest_release_at, x.name_tsv, x.short_tsv, x.more_tsv
  FROM (
    SELECT s.id, s.slug, s.name, public.th_fold(s.name) AS name_fold,
      public.th_fold(concat_ws(' ', s.name, s.short_description_de, s.short_description_en,
        array_to_string(s.features, ' '), array_to_string(s.categories, ' '))) AS keywords,
      s.active AND s.listed AS active, s.organisation_id, s.licence, s.categories, s.development_status,
      coalesce((SELECT array_agg(btrim(x)) FROM unnest(string_to_array(o.state, ';')) AS x WHERE btrim(x) <> ''), '{}') AS states,
      o.kind, o.cohort_year, coalesce(r.n, 0)::int AS reuse_count, coalesce(r.production, false) AS production_reuse,
      coalesce(s.publiccode_valid, false) AS publiccode_valid,
      coalesce(s.maintenance_type IN ('internal', 'contract', 'community'), false) AS maintained,
      s.latest_release_at,
      strip(public.th_doc(s.name, 'A')) AS name_tsv,
      strip(public.th_doc(concat_ws(' ', s.short_description_de, s.short_description_en), 'B')) AS short_tsv,
      strip(public.th_doc(concat_ws(' ', array_to_string(s.features, ' '), array_to_string(s.categories, ' '), o.name), 'C')) AS more_tsv
    FROM software s
    JOIN organisation o ON o.id = s.organisation_id
    LEFT JOIN LATERAL (
      SELECT count(*) FILTER (WHERE status <> 'retired') AS n, bool_or(status = 'production') AS production
      FROM reuse WHERE reuse.software_id = s.id
    ) r ON true
    WHERE s.id = ANY(ids)
  ) x
  ON CONFLICT (software_id) DO UPDATE SET
    slug = excluded.slug, name = excluded.name, name_fold = excluded.name_fold, keywords = excluded.keywords,
    active = excluded.active, organisation_id = excluded.organisation_id, licence = excluded.licence,
    categories = excluded.categories, development_status = excluded.development_status, states = excluded.states,
    organisation_kind = excluded.organisation_kind, cohort_year = excluded.cohort_year,
    reuse_count = excluded.reuse_count, production_reuse = excluded.production_reuse,
    publiccode_valid = excluded.publiccode_valid, maintained = excluded.maintained,
    latest_release_at = excluded.latest_release_at,
    name_tsv = excluded.name_tsv, short_tsv = excluded.short_tsv, more_tsv = excluded.more_tsv;
  INSERT INTO software_search_text AS t (software_id, long_tsv, readme_tsv)
  SELECT s.id,
    public.th_doc(concat_ws(' ', s.long_description_de, s.long_description_en), 'D'),
    -- The README and the visible experience reports (an entry with none: one index probe).
    public.th_readme_level_doc(s.readme_markdown, public.th_report_text(s.id))
  FROM software s
  WHERE s.id = ANY(ids)
  ON CONFLICT (software_id) DO UPDATE SET long_tsv = excluded.long_tsv, readme_tsv = excluded.readme_tsv;
$$;
--> statement-breakpoint
-- Existing data: reports into the document, confirmed production counts, then every boost and band.
UPDATE software_search_text t SET readme_tsv = public.th_readme_level_doc(s.readme_markdown, public.th_report_text(s.id))
FROM software s WHERE s.id = t.software_id AND s.id IN (SELECT e.software_id FROM experience_report e WHERE e.hidden_at IS NULL);
--> statement-breakpoint
UPDATE software_search t SET experience_reports = c.n
FROM (SELECT e.software_id AS sid, count(*)::int AS n FROM experience_report e WHERE e.hidden_at IS NULL GROUP BY e.software_id) c
WHERE t.software_id = c.sid;
--> statement-breakpoint
SELECT public.th_reuse_recount(ARRAY(SELECT DISTINCT software_id FROM reuse));
--> statement-breakpoint
UPDATE software_search t SET boost = public.th_boost(t), boost_until = public.th_boost_until(t),
  transfer_package = public.th_transfer_band(t.transfer_completeness)
WHERE (t.boost, t.boost_until, t.transfer_package)
  IS DISTINCT FROM (public.th_boost(t), public.th_boost_until(t), public.th_transfer_band(t.transfer_completeness));
