-- Search (issue 5): German and English full text with umlaut folding, compound parts,
-- typo tolerance and facets, kept in the same transaction as every write by triggers.
-- Runs unchanged on PostgreSQL 15+ and PGlite (pg_trgm and unaccent are contrib extensions there).
CREATE EXTENSION IF NOT EXISTS unaccent;
--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS pg_trgm;
--> statement-breakpoint
-- unaccent(text) is STABLE (it looks its dictionary up by search_path); with the dictionary named
-- explicitly the result only depends on the argument, so it may be used in index expressions.
CREATE FUNCTION public.th_unaccent(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$;
--> statement-breakpoint
-- German folding: ä/ae → a, ö/oe → o, ü/ue → u, ß → ss, lower case. unaccent maps ä → a but a
-- user typing "Maengelmelder" writes the ae transliteration, so ae/oe/ue are folded too. Applied
-- identically to documents and queries; words like "neue" fold to "neu" on both sides.
CREATE FUNCTION public.th_fold(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$ SELECT replace(replace(replace(lower(public.th_unaccent($1)), 'ae', 'a'), 'oe', 'o'), 'ue', 'u') $$;
--> statement-breakpoint
CREATE TEXT SEARCH CONFIGURATION public.th_german (COPY = pg_catalog.german);
--> statement-breakpoint
ALTER TEXT SEARCH CONFIGURATION public.th_german ALTER MAPPING FOR hword, hword_part, word WITH public.unaccent, german_stem;
--> statement-breakpoint
CREATE TEXT SEARCH CONFIGURATION public.th_english (COPY = pg_catalog.english);
--> statement-breakpoint
ALTER TEXT SEARCH CONFIGURATION public.th_english ALTER MAPPING FOR hword, hword_part, word WITH public.unaccent, english_stem;
--> statement-breakpoint
-- A field's lexemes in both languages: descriptions are often German with English terms (and the
-- other way round), so every field gets German (folded) and English stems, with one weight.
CREATE FUNCTION public.th_doc(text, "char") RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT setweight(
  to_tsvector('public.th_german'::regconfig, public.th_fold(coalesce($1, '')))
  || to_tsvector('public.th_english'::regconfig, lower(public.th_unaccent(coalesce($1, '')))), $2) $$;
--> statement-breakpoint
-- One typed word as a tsquery: German stem of the folded word OR English stem, plus the folded
-- and the unaccented word as prefixes for the word being typed. NULL when the word is a stop
-- word in either language ("die", "the", "für"): the caller ignores such words. A stop word being
-- typed may still be the start of another word ("die" → "Dienst"), so then only the prefixes remain.
CREATE FUNCTION public.th_word_query(w text, prefix boolean) RETURNS tsquery LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$
  SELECT CASE WHEN (numnode(de) = 0 OR numnode(en) = 0) AND NOT prefix THEN NULL
    WHEN numnode(de) = 0 OR numnode(en) = 0 THEN
      to_tsquery('simple', quote_literal(public.th_fold(w)) || ':*')
      || to_tsquery('simple', quote_literal(lower(public.th_unaccent(w))) || ':*')
    WHEN prefix THEN de || en
      || to_tsquery('simple', quote_literal(public.th_fold(w)) || ':*')
      || to_tsquery('simple', quote_literal(lower(public.th_unaccent(w))) || ':*')
    ELSE de || en
    END
  FROM (SELECT plainto_tsquery('public.th_german'::regconfig, public.th_fold(w)) AS de,
               plainto_tsquery('public.th_english'::regconfig, lower(public.th_unaccent(w))) AS en) q
$$;
--> statement-breakpoint
-- The words of an entry for suggestions and typo correction: folded term, lower-case display form.
CREATE FUNCTION public.th_terms(doc text) RETURNS TABLE(term text, display text) LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
  SELECT DISTINCT ON (t) t, w
  FROM (SELECT w, public.th_fold(w) AS t FROM regexp_split_to_table(lower(coalesce(doc, '')), '[^[:alnum:]]+') AS w) x
  WHERE length(t) BETWEEN 3 AND 40 AND t !~ '^[0-9]+$'
  ORDER BY t, w
$$;
--> statement-breakpoint
CREATE FUNCTION public.th_vocabulary_text(s public.software) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT concat_ws(' ', s.name, s.short_description_de, s.short_description_en, s.long_description_de,
  s.long_description_en, array_to_string(s.features, ' '), array_to_string(s.categories, ' ')) $$;
--> statement-breakpoint
-- The search document of one software entry: narrow (no README text, only its lexemes), denormalised
-- with the organisation's facets and the reuse signals so search and facets never join.
CREATE TABLE "software_search" (
	"software_id" uuid PRIMARY KEY NOT NULL REFERENCES "software"("id") ON DELETE CASCADE,
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
	"head_tsv" tsvector NOT NULL,
	"long_tsv" tsvector NOT NULL,
	"readme_tsv" tsvector NOT NULL
);
--> statement-breakpoint
-- GET /v1/software?q=…: each query word must match name/short description/features/categories/
-- organisation (A–C), long descriptions (D) or the README; one GIN index per vector.
CREATE INDEX "software_search_head_idx" ON "software_search" USING gin ("head_tsv");
--> statement-breakpoint
CREATE INDEX "software_search_long_idx" ON "software_search" USING gin ("long_tsv");
--> statement-breakpoint
CREATE INDEX "software_search_readme_idx" ON "software_search" USING gin ("readme_tsv");
--> statement-breakpoint
-- GET /v1/software?q=melder: compound parts ("Melder" in "Mängelmelder") as a substring of the
-- folded name, short descriptions, features and categories.
CREATE INDEX "software_search_keywords_trgm_idx" ON "software_search" USING gin ("keywords" gin_trgm_ops);
--> statement-breakpoint
-- GET /v1/search/suggest: software names starting with the prefix, or with a word starting with it.
CREATE INDEX "software_search_name_prefix_idx" ON "software_search" ("name_fold" text_pattern_ops) WHERE "active";
--> statement-breakpoint
CREATE INDEX "software_search_name_trgm_idx" ON "software_search" USING gin ("name_fold" gin_trgm_ops);
--> statement-breakpoint
-- GET /v1/software with facet filters and no q: active entries in slug order (the cursor key).
CREATE INDEX "software_search_active_slug_idx" ON "software_search" ("slug") WHERE "active";
--> statement-breakpoint
-- Vocabulary of the catalogue (folded words with the number of active entries using them):
-- suggestions complete terms from it, typo tolerance corrects query words against it.
CREATE TABLE "search_term" (
	"term" text COLLATE "C" PRIMARY KEY NOT NULL,
	"display" text NOT NULL,
	"doc_count" integer NOT NULL
);
--> statement-breakpoint
-- Typo correction: nearest terms by trigram distance (ORDER BY term <-> $word LIMIT n).
-- The primary key (C collation) serves the suggest prefix scan (term LIKE 'prefix%').
CREATE INDEX "search_term_trgm_idx" ON "search_term" USING gist ("term" gist_trgm_ops);
--> statement-breakpoint
CREATE FUNCTION public.th_search_refresh(ids uuid[]) RETURNS void LANGUAGE sql
AS $$
  INSERT INTO software_search AS t (software_id, slug, name, name_fold, keywords, active, organisation_id, licence,
    categories, development_status, states, organisation_kind, cohort_year, reuse_count, production_reuse,
    publiccode_valid, maintained, latest_release_at, head_tsv, long_tsv, readme_tsv)
  SELECT s.id, s.slug, s.name, public.th_fold(s.name),
    public.th_fold(concat_ws(' ', s.name, s.short_description_de, s.short_description_en,
      array_to_string(s.features, ' '), array_to_string(s.categories, ' '))),
    s.active, s.organisation_id, s.licence, s.categories, s.development_status,
    coalesce((SELECT array_agg(btrim(x)) FROM unnest(string_to_array(o.state, ';')) AS x WHERE btrim(x) <> ''), '{}'),
    o.kind, o.cohort_year, coalesce(r.n, 0), coalesce(r.production, false),
    coalesce(s.publiccode_valid, false),
    coalesce(s.maintenance_type IN ('internal', 'contract', 'community'), false),
    s.latest_release_at,
    public.th_doc(s.name, 'A')
      || public.th_doc(concat_ws(' ', s.short_description_de, s.short_description_en), 'B')
      || public.th_doc(concat_ws(' ', array_to_string(s.features, ' '), array_to_string(s.categories, ' '), o.name), 'C'),
    public.th_doc(concat_ws(' ', s.long_description_de, s.long_description_en), 'D'),
    -- 50,000 characters bound the work per write; README text beyond that adds little to recall.
    public.th_doc(left(s.readme_markdown, 50000), 'D')
  FROM software s
  JOIN organisation o ON o.id = s.organisation_id
  LEFT JOIN LATERAL (
    SELECT count(*) FILTER (WHERE status <> 'retired') AS n, bool_or(status = 'production') AS production
    FROM reuse WHERE reuse.software_id = s.id
  ) r ON true
  WHERE s.id = ANY(ids)
  ON CONFLICT (software_id) DO UPDATE SET
    slug = excluded.slug, name = excluded.name, name_fold = excluded.name_fold, keywords = excluded.keywords,
    active = excluded.active, organisation_id = excluded.organisation_id, licence = excluded.licence,
    categories = excluded.categories, development_status = excluded.development_status, states = excluded.states,
    organisation_kind = excluded.organisation_kind, cohort_year = excluded.cohort_year,
    reuse_count = excluded.reuse_count, production_reuse = excluded.production_reuse,
    publiccode_valid = excluded.publiccode_valid, maintained = excluded.maintained,
    latest_release_at = excluded.latest_release_at, head_tsv = excluded.head_tsv,
    long_tsv = excluded.long_tsv, readme_tsv = excluded.readme_tsv
$$;
--> statement-breakpoint
CREATE FUNCTION public.th_software_inserted() RETURNS trigger LANGUAGE plpgsql
AS $$
BEGIN
  PERFORM public.th_search_refresh(ARRAY(SELECT id FROM new_rows));
  -- Terms in order so that concurrent writers lock shared vocabulary rows in the same order.
  INSERT INTO search_term AS t (term, display, doc_count)
  SELECT w.term, min(w.display), count(*)
  FROM new_rows n, LATERAL public.th_terms(public.th_vocabulary_text(n)) w
  WHERE n.active
  GROUP BY w.term ORDER BY w.term
  ON CONFLICT (term) DO UPDATE SET doc_count = t.doc_count + excluded.doc_count;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION public.th_software_updated() RETURNS trigger LANGUAGE plpgsql
AS $$
DECLARE
  changed uuid[];
BEGIN
  -- Only entries whose searchable columns changed: crawls touching updated_at or forge facts cost nothing.
  SELECT array_agg(n.id) INTO changed
  FROM new_rows n JOIN old_rows o ON o.id = n.id
  WHERE (n.slug, n.name, n.organisation_id, n.short_description_de, n.short_description_en, n.long_description_de,
         n.long_description_en, n.categories, n.features, n.licence, n.development_status, n.maintenance_type,
         n.publiccode_valid, n.readme_markdown, n.latest_release_at, n.active)
    IS DISTINCT FROM
        (o.slug, o.name, o.organisation_id, o.short_description_de, o.short_description_en, o.long_description_de,
         o.long_description_en, o.categories, o.features, o.licence, o.development_status, o.maintenance_type,
         o.publiccode_valid, o.readme_markdown, o.latest_release_at, o.active);
  IF changed IS NULL THEN
    RETURN NULL;
  END IF;
  PERFORM public.th_search_refresh(changed);
  -- Vocabulary counts move by the words that appeared (+1) or disappeared (-1); rows in term
  -- order so that concurrent writers lock shared terms in the same order (no deadlocks).
  WITH before AS (
    SELECT o.id, w.term, w.display FROM old_rows o, LATERAL public.th_terms(public.th_vocabulary_text(o)) w
    WHERE o.active AND o.id = ANY(changed)
  ), after AS (
    SELECT n.id, w.term, w.display FROM new_rows n, LATERAL public.th_terms(public.th_vocabulary_text(n)) w
    WHERE n.active AND n.id = ANY(changed)
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
CREATE FUNCTION public.th_organisation_updated() RETURNS trigger LANGUAGE plpgsql
AS $$
BEGIN
  PERFORM public.th_search_refresh(ARRAY(
    SELECT s.id FROM software s WHERE s.organisation_id IN (
      SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
      WHERE (n.name, n.kind, n.state, n.cohort_year) IS DISTINCT FROM (o.name, o.kind, o.state, o.cohort_year))));
  RETURN NULL;
END $$;
--> statement-breakpoint
-- Reuse writes only move the signals: recount them for the software entries touched.
CREATE FUNCTION public.th_reuse_changed() RETURNS trigger LANGUAGE plpgsql
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
  UPDATE software_search t SET reuse_count = r.n, production_reuse = r.production
  FROM (
    SELECT u.sid, (SELECT count(*) FILTER (WHERE r2.status <> 'retired') FROM reuse r2 WHERE r2.software_id = u.sid) AS n,
      coalesce((SELECT bool_or(r2.status = 'production') FROM reuse r2 WHERE r2.software_id = u.sid), false) AS production
    FROM unnest(ids) AS u(sid)
  ) r
  WHERE t.software_id = r.sid AND (t.reuse_count, t.production_reuse) IS DISTINCT FROM (r.n, r.production);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER th_software_search_insert AFTER INSERT ON software
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.th_software_inserted();
--> statement-breakpoint
CREATE TRIGGER th_software_search_update AFTER UPDATE ON software
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.th_software_updated();
--> statement-breakpoint
CREATE TRIGGER th_organisation_search_update AFTER UPDATE ON organisation
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.th_organisation_updated();
--> statement-breakpoint
CREATE TRIGGER th_reuse_search_insert AFTER INSERT ON reuse
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.th_reuse_changed();
--> statement-breakpoint
CREATE TRIGGER th_reuse_search_update AFTER UPDATE ON reuse
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.th_reuse_changed();
--> statement-breakpoint
CREATE TRIGGER th_reuse_search_delete AFTER DELETE ON reuse
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public.th_reuse_changed();
--> statement-breakpoint
-- Entries that exist before this migration (demo catalogue, embedded installations).
SELECT public.th_search_refresh(ARRAY(SELECT id FROM software));
--> statement-breakpoint
INSERT INTO search_term (term, display, doc_count)
SELECT w.term, min(w.display), count(*)
FROM software s, LATERAL public.th_terms(public.th_vocabulary_text(s)) w
WHERE s.active
GROUP BY w.term;
