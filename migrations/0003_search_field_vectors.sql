-- Search field vectors (issue 5). EXPLAIN of 0002's tiers on the bench catalogue: one head_tsv with
-- weights A/B/C made the name tier a weight-restricted query ('sensor':A), which the planner
-- estimates like the unrestricted word (1,436 rows expected, 18 found for "Sensor" + Bayern +
-- EUPL); it chose the ordered walk and read all 100,000 rows (1.5 s). One stripped vector per
-- field class (name, short descriptions, features/categories/organisation) gives each tier its
-- own statistics and GIN index, needs no weight recheck, and without positions (nothing uses
-- ts_rank any more) the hot table is smaller.
ALTER TABLE software_search ADD COLUMN name_tsv tsvector, ADD COLUMN short_tsv tsvector, ADD COLUMN more_tsv tsvector;
--> statement-breakpoint
UPDATE software_search ss SET
  name_tsv = strip(public.th_doc(s.name, 'A')),
  short_tsv = strip(public.th_doc(concat_ws(' ', s.short_description_de, s.short_description_en), 'B')),
  more_tsv = strip(public.th_doc(concat_ws(' ', array_to_string(s.features, ' '), array_to_string(s.categories, ' '), o.name), 'C'))
FROM software s JOIN organisation o ON o.id = s.organisation_id
WHERE s.id = ss.software_id;
--> statement-breakpoint
ALTER TABLE software_search DROP COLUMN head_tsv;
--> statement-breakpoint
ALTER TABLE software_search ALTER COLUMN name_tsv SET NOT NULL, ALTER COLUMN short_tsv SET NOT NULL, ALTER COLUMN more_tsv SET NOT NULL;
--> statement-breakpoint
-- GET /v1/software?q=… name tier (and the other tiers' OR): words in the name.
CREATE INDEX "software_search_name_tsv_idx" ON "software_search" USING gin ("name_tsv");
--> statement-breakpoint
-- GET /v1/software?q=… short-description tier.
CREATE INDEX "software_search_short_tsv_idx" ON "software_search" USING gin ("short_tsv");
--> statement-breakpoint
-- GET /v1/software?q=… features/categories/organisation tier.
CREATE INDEX "software_search_more_tsv_idx" ON "software_search" USING gin ("more_tsv");
--> statement-breakpoint
-- GET /v1/search/suggest: names with a word starting with the prefix; every run of letters and
-- digits is one word ("parkraum-sensorik" → parkraum, sensorik), as the query's regular expression sees it.
DROP INDEX software_search_name_words_idx;
--> statement-breakpoint
CREATE INDEX "software_search_name_words_idx" ON "software_search"
  USING gin (to_tsvector('simple'::regconfig, regexp_replace("name_fold", '[^a-z0-9]+', ' ', 'g'))) WHERE "active";
--> statement-breakpoint
CREATE OR REPLACE FUNCTION public.th_search_refresh(ids uuid[]) RETURNS void LANGUAGE sql
AS $$
  INSERT INTO software_search AS t (software_id, slug, name, name_fold, keywords, active, organisation_id, licence,
    categories, development_status, states, organisation_kind, cohort_year, reuse_count, production_reuse,
    publiccode_valid, maintained, latest_release_at, boost, boost_until, name_tsv, short_tsv, more_tsv)
  SELECT x.id, x.slug, x.name, x.name_fold, x.keywords, x.active, x.organisation_id, x.licence, x.categories,
    x.development_status, x.states, x.kind, x.cohort_year, x.reuse_count, x.production_reuse, x.publiccode_valid,
    x.maintained, x.latest_release_at, public.th_boost(x.reuse_count, x.latest_release_at, x.publiccode_valid, x.maintained),
    public.th_boost_until(x.latest_release_at), x.name_tsv, x.short_tsv, x.more_tsv
  FROM (
    SELECT s.id, s.slug, s.name, public.th_fold(s.name) AS name_fold,
      public.th_fold(concat_ws(' ', s.name, s.short_description_de, s.short_description_en,
        array_to_string(s.features, ' '), array_to_string(s.categories, ' '))) AS keywords,
      s.active, s.organisation_id, s.licence, s.categories, s.development_status,
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
    latest_release_at = excluded.latest_release_at, boost = excluded.boost, boost_until = excluded.boost_until,
    name_tsv = excluded.name_tsv, short_tsv = excluded.short_tsv, more_tsv = excluded.more_tsv;
  INSERT INTO software_search_text AS t (software_id, long_tsv, readme_tsv)
  SELECT s.id,
    public.th_doc(concat_ws(' ', s.long_description_de, s.long_description_en), 'D'),
    -- 50,000 characters bound the work per write; README text beyond that adds little to recall.
    public.th_doc(left(s.readme_markdown, 50000), 'D')
  FROM software s
  WHERE s.id = ANY(ids)
  ON CONFLICT (software_id) DO UPDATE SET long_tsv = excluded.long_tsv, readme_tsv = excluded.readme_tsv;
$$;
--> statement-breakpoint
-- GET /v1/software?q=… every tier, as in 0002 but over all rows (CLUSTER refuses partial indexes;
-- the few inactive rows cost nothing).
DROP INDEX software_search_rank_idx;
--> statement-breakpoint
CREATE INDEX "software_search_rank_idx" ON "software_search" ("boost" DESC, "slug");
--> statement-breakpoint
-- Rewrites the table without the dropped vector and the updated rows' old versions, in the order
-- of the rank index: a walk for a common word reads consecutive pages.
CLUSTER software_search USING software_search_rank_idx;
--> statement-breakpoint
ANALYZE software_search;
