-- Search at 100,000 entries (issue 5): a narrow hot table and tiered ranking.
-- Measured on the bench catalogue before this migration: one software_search row carried three
-- tsvectors (772 MB with TOAST, over four times shared_buffers); a common word ("Daten", in most
-- READMEs) matched 95 % of the rows and every match was ranked (ts_rank, long description and
-- README vectors detoasted), 2–4 s per request.
-- Now: software_search keeps what every query reads (primary vector, folded name and keywords,
-- facets, a precomputed static boost); long description and README vectors move to
-- software_search_text, read only by the lower tiers. Ranking is tiered (best field class that
-- every query word reaches, then the static boost, then slug), so a page is the first k rows of an
-- index walk on (boost DESC, slug) per tier, and lower tiers run only when higher ones are short.
CREATE TABLE "software_search_text" (
	"software_id" uuid PRIMARY KEY NOT NULL REFERENCES "software"("id") ON DELETE CASCADE,
	"long_tsv" tsvector NOT NULL,
	"readme_tsv" tsvector NOT NULL
);
--> statement-breakpoint
INSERT INTO software_search_text (software_id, long_tsv, readme_tsv)
SELECT software_id, long_tsv, readme_tsv FROM software_search;
--> statement-breakpoint
-- GET /v1/software?q=… tier "long description": each word in the long descriptions (or better).
CREATE INDEX "software_search_text_long_idx" ON "software_search_text" USING gin ("long_tsv");
--> statement-breakpoint
-- GET /v1/software?q=… tier "README", and facet counts over every match.
CREATE INDEX "software_search_text_readme_idx" ON "software_search_text" USING gin ("readme_tsv");
--> statement-breakpoint
-- The signals of the old score (reuses 0.05·ln(1+n), a release within a year +0.04, valid
-- publiccode.yml +0.02, active maintenance +0.02), rounded to 6 decimals so the cursor carries it
-- exactly. Below 1 for any realistic reuse count (n < e^18), so it never crosses a tier.
CREATE FUNCTION public.th_boost(reuse_count integer, released timestamptz, publiccode_valid boolean, maintained boolean)
RETURNS numeric LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT least(round((0.05 * ln(1 + reuse_count)
  + CASE WHEN released >= current_date - 365 THEN 0.04 ELSE 0 END
  + CASE WHEN publiccode_valid THEN 0.02 ELSE 0 END
  + CASE WHEN maintained THEN 0.02 ELSE 0 END)::numeric, 6), 0.999999) $$;
--> statement-breakpoint
-- When the "release within a year" part of a stored boost runs out (NULL: it has none).
CREATE FUNCTION public.th_boost_until(released timestamptz) RETURNS timestamptz LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT CASE WHEN released >= current_date - 365 THEN (released::date + 366)::timestamptz END $$;
--> statement-breakpoint
-- The hot table, rebuilt narrow (dropping columns would leave the old rows' space in place).
CREATE TABLE "software_search_new" (
	"software_id" uuid NOT NULL REFERENCES "software"("id") ON DELETE CASCADE,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"name_fold" text NOT NULL,
	"keywords" text NOT NULL,
	"active" boolean NOT NULL,
	"organisation_id" uuid NOT NULL,
	"licence" text,
	"categories" text[] NOT NULL,
	"development_status" text,
	"states" text[] NOT NULL,
	"organisation_kind" text NOT NULL,
	"cohort_year" integer,
	"reuse_count" integer NOT NULL DEFAULT 0,
	"production_reuse" boolean NOT NULL DEFAULT false,
	"publiccode_valid" boolean NOT NULL,
	"maintained" boolean NOT NULL,
	"latest_release_at" timestamp with time zone,
	"boost" numeric(7, 6) NOT NULL,
	"boost_until" timestamp with time zone,
	"head_tsv" tsvector NOT NULL
);
--> statement-breakpoint
INSERT INTO software_search_new
SELECT software_id, slug, name, name_fold, keywords, active, organisation_id, licence, categories, development_status,
  states, organisation_kind, cohort_year, reuse_count, production_reuse, publiccode_valid, maintained, latest_release_at,
  public.th_boost(reuse_count, latest_release_at, publiccode_valid, maintained), public.th_boost_until(latest_release_at),
  head_tsv
FROM software_search;
--> statement-breakpoint
DROP TABLE software_search;
--> statement-breakpoint
ALTER TABLE software_search_new RENAME TO software_search;
--> statement-breakpoint
ALTER TABLE software_search ADD CONSTRAINT software_search_pkey PRIMARY KEY (software_id);
--> statement-breakpoint
-- GET /v1/software?q=… tiers name / short description / features-categories-organisation: rare
-- words through the GIN index (bitmap, then sorted by boost); weights are rechecked on the heap.
CREATE INDEX "software_search_head_idx" ON "software_search" USING gin ("head_tsv");
--> statement-breakpoint
-- GET /v1/software?q=… every tier: the first k rows in rank order within a tier. For common words
-- the planner walks this index and checks the (cheap, in-row) vector instead of ranking all matches.
CREATE INDEX "software_search_rank_idx" ON "software_search" ("boost" DESC, "slug") WHERE "active";
--> statement-breakpoint
-- GET /v1/software?q=melder: compound parts ("Melder" in "Mängelmelder") as a substring of the folded
-- name (name tier) and of name, short descriptions, features and categories (third tier).
CREATE INDEX "software_search_name_trgm_idx" ON "software_search" USING gin ("name_fold" gin_trgm_ops);
--> statement-breakpoint
CREATE INDEX "software_search_keywords_trgm_idx" ON "software_search" USING gin ("keywords" gin_trgm_ops);
--> statement-breakpoint
-- GET /v1/search/suggest: names starting with the prefix (range scan for rare prefixes) …
CREATE INDEX "software_search_name_prefix_idx" ON "software_search" ("name_fold" text_pattern_ops) WHERE "active";
--> statement-breakpoint
-- … and in suggestion order (most reused first) for common prefixes, walked until 8–20 names match.
CREATE INDEX "software_search_suggest_idx" ON "software_search" ("reuse_count" DESC, "name_fold") WHERE "active";
--> statement-breakpoint
-- GET /v1/search/suggest: names with a word starting with the prefix ("sensor" → "Parkraum-Sensorik").
CREATE INDEX "software_search_name_words_idx" ON "software_search" USING gin (to_tsvector('simple'::regconfig, "name_fold")) WHERE "active";
--> statement-breakpoint
-- GET /v1/software with facet filters and no q: active entries in slug order (the cursor key).
CREATE INDEX "software_search_active_slug_idx" ON "software_search" ("slug") WHERE "active";
--> statement-breakpoint
-- Boosts whose "release within a year" part has run out (th_search_expire_boosts).
CREATE INDEX "software_search_boost_until_idx" ON "software_search" ("boost_until") WHERE "boost_until" IS NOT NULL;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION public.th_search_refresh(ids uuid[]) RETURNS void LANGUAGE sql
AS $$
  INSERT INTO software_search AS t (software_id, slug, name, name_fold, keywords, active, organisation_id, licence,
    categories, development_status, states, organisation_kind, cohort_year, reuse_count, production_reuse,
    publiccode_valid, maintained, latest_release_at, boost, boost_until, head_tsv)
  SELECT x.id, x.slug, x.name, x.name_fold, x.keywords, x.active, x.organisation_id, x.licence, x.categories,
    x.development_status, x.states, x.kind, x.cohort_year, x.reuse_count, x.production_reuse, x.publiccode_valid,
    x.maintained, x.latest_release_at, public.th_boost(x.reuse_count, x.latest_release_at, x.publiccode_valid, x.maintained),
    public.th_boost_until(x.latest_release_at), x.head_tsv
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
      public.th_doc(s.name, 'A')
        || public.th_doc(concat_ws(' ', s.short_description_de, s.short_description_en), 'B')
        || public.th_doc(concat_ws(' ', array_to_string(s.features, ' '), array_to_string(s.categories, ' '), o.name), 'C') AS head_tsv
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
    head_tsv = excluded.head_tsv;
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
-- Reuse writes only move the signals (and with them the boost): recount for the entries touched.
CREATE OR REPLACE FUNCTION public.th_reuse_changed() RETURNS trigger LANGUAGE plpgsql
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
  UPDATE software_search t SET reuse_count = r.n, production_reuse = r.production,
    boost = public.th_boost(r.n, t.latest_release_at, t.publiccode_valid, t.maintained)
  FROM (
    SELECT u.sid, (SELECT count(*) FILTER (WHERE r2.status <> 'retired') FROM reuse r2 WHERE r2.software_id = u.sid)::int AS n,
      coalesce((SELECT bool_or(r2.status = 'production') FROM reuse r2 WHERE r2.software_id = u.sid), false) AS production
    FROM unnest(ids) AS u(sid)
  ) r
  WHERE t.software_id = r.sid AND (t.reuse_count, t.production_reuse) IS DISTINCT FROM (r.n, r.production);
  RETURN NULL;
END $$;
--> statement-breakpoint
-- The stored boost counts "a release within a year" as of the last write; this recomputes the
-- entries whose year has passed. The search service calls it at most once an hour, so a stale
-- release signal lives at most a day and an hour (a 0.04 shift inside one tier).
CREATE FUNCTION public.th_search_expire_boosts() RETURNS integer LANGUAGE sql
AS $$
  WITH expired AS (
    UPDATE software_search SET boost = public.th_boost(reuse_count, latest_release_at, publiccode_valid, maintained),
      boost_until = public.th_boost_until(latest_release_at)
    WHERE boost_until < now()
    RETURNING 1
  )
  SELECT count(*)::int FROM expired
$$;
--> statement-breakpoint
ANALYZE software_search;
--> statement-breakpoint
ANALYZE software_search_text;
