-- Repository lifecycle (issue 9 #5). A registered URL is not yet a catalogue entry: its software
-- entry is listed (lists, search, suggestions, vocabulary) once a crawl succeeded or its owner
-- described it. Repositories whose crawls keep failing, or whose software was deactivated, are
-- paused: the scheduled refresh leaves them alone until a manual refresh or a webhook.
ALTER TABLE "software" ADD COLUMN "listed" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "repository" ADD COLUMN "consecutive_failures" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "repository" ADD COLUMN "paused_reason" text;--> statement-breakpoint
ALTER TABLE "repository" ADD COLUMN "paused_at" timestamp with time zone;--> statement-breakpoint
-- GET /v1/repositories?organisation=… in URL order (the cursor key).
CREATE INDEX "repository_organisation_url_idx" ON "repository" USING btree ("organisation_id","url");--> statement-breakpoint
-- The search document's "active" (what lists, search and suggestions show) is now active AND listed.
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
-- The vocabulary counts listed entries only (suggestions must not complete words of unlisted ones).
CREATE OR REPLACE FUNCTION public.th_software_inserted() RETURNS trigger LANGUAGE plpgsql
AS $$
BEGIN
  PERFORM public.th_search_refresh(ARRAY(SELECT id FROM new_rows));
  -- Terms in order so that concurrent writers lock shared vocabulary rows in the same order.
  INSERT INTO search_term AS t (term, display, doc_count)
  SELECT w.term, min(w.display), count(*)
  FROM new_rows n, LATERAL public.th_terms(public.th_vocabulary_text(n)) w
  WHERE n.active AND n.listed
  GROUP BY w.term ORDER BY w.term
  ON CONFLICT (term) DO UPDATE SET doc_count = t.doc_count + excluded.doc_count;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION public.th_software_updated() RETURNS trigger LANGUAGE plpgsql
AS $$
DECLARE
  changed uuid[];
BEGIN
  -- Only entries whose searchable columns changed: crawls touching updated_at or forge facts cost nothing.
  SELECT array_agg(n.id) INTO changed
  FROM new_rows n JOIN old_rows o ON o.id = n.id
  WHERE (n.slug, n.name, n.organisation_id, n.short_description_de, n.short_description_en, n.long_description_de,
         n.long_description_en, n.categories, n.features, n.licence, n.development_status, n.maintenance_type,
         n.publiccode_valid, n.readme_markdown, n.latest_release_at, n.active, n.listed)
    IS DISTINCT FROM
        (o.slug, o.name, o.organisation_id, o.short_description_de, o.short_description_en, o.long_description_de,
         o.long_description_en, o.categories, o.features, o.licence, o.development_status, o.maintenance_type,
         o.publiccode_valid, o.readme_markdown, o.latest_release_at, o.active, o.listed);
  IF changed IS NULL THEN
    RETURN NULL;
  END IF;
  PERFORM public.th_search_refresh(changed);
  -- Vocabulary counts move by the words that appeared (+1) or disappeared (-1); rows in term
  -- order so that concurrent writers lock shared terms in the same order (no deadlocks).
  WITH before AS (
    SELECT o.id, w.term, w.display FROM old_rows o, LATERAL public.th_terms(public.th_vocabulary_text(o)) w
    WHERE o.active AND o.listed AND o.id = ANY(changed)
  ), after AS (
    SELECT n.id, w.term, w.display FROM new_rows n, LATERAL public.th_terms(public.th_vocabulary_text(n)) w
    WHERE n.active AND n.listed AND n.id = ANY(changed)
  ), delta AS (
    SELECT coalesce(a.term, b.term) AS term, coalesce(a.display, b.display) AS display,
           CASE WHEN b.term IS NULL THEN 1 ELSE -1 END AS delta
    FROM after a FULL JOIN before b ON b.id = a.id AND b.term = a.term
    WHERE a.term IS NULL OR b.term IS NULL
  )
  INSERT INTO search_term AS t (term, display, doc_count)
  SELECT d.term, min(d.display), sum(d.delta) FROM delta d
  GROUP BY d.term HAVING sum(d.delta) <> 0 ORDER BY d.term
  ON CONFLICT (term) DO UPDATE SET doc_count = greatest(t.doc_count + excluded.doc_count, 0);
  RETURN NULL;
END $$;
--> statement-breakpoint
-- After the functions: the update trigger moves these rows out of search and vocabulary.
-- Entries that only a registration created and no crawl has filled: not listed until one succeeds.
UPDATE "software" s SET "listed" = false
WHERE s.short_description_de IS NULL AND s.short_description_en IS NULL
  AND s.long_description_de IS NULL AND s.long_description_en IS NULL
  AND EXISTS (SELECT 1 FROM "repository" r WHERE r.software_id = s.id)
  AND NOT EXISTS (SELECT 1 FROM "repository" r WHERE r.software_id = s.id AND r.last_success_at IS NOT NULL);
--> statement-breakpoint
UPDATE "repository" r SET "paused_reason" = 'software-inactive', "paused_at" = now()
FROM "software" s WHERE s.id = r.software_id AND NOT s.active;
