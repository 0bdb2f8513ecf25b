-- hand-written
-- Search documents of a federation snapshot are built after its records, not row by row with them
-- (issue 15, bootstrap). Applying a snapshot page sets `transferhub.search_build = deferred` for
-- its transaction; the software it inserts is then queued in search_pending instead of getting its
-- document at once. A builder (src/domain/search/pending-build.ts) takes queued entries in batches,
-- after the reuses have arrived, on its own connection(s): each document is written once, with its
-- final counts, instead of being inserted, updated for its provenance and updated again for every
-- page of reuses (each of those updates rewrote all nine GIN indexes of the row).
--
-- Invariant: a queued entry has added nothing to the vocabulary (search_term); its document may
-- be missing or stale. th_search_build writes the document, adds the vocabulary and unqueues.
CREATE TABLE public.search_pending (
  software_id uuid PRIMARY KEY REFERENCES public.software(id) ON DELETE CASCADE,
  queued_at timestamptz NOT NULL DEFAULT now()
);
--> statement-breakpoint
-- The counts of reuses by others, as th_reuse_recount keeps them: the document's refresh writes
-- them itself now (it wrote a plain count, which the recount trigger then corrected with a second
-- version of the row).
CREATE OR REPLACE FUNCTION public.th_search_refresh(ids uuid[]) RETURNS void LANGUAGE sql
AS $$
  INSERT INTO software_search AS t (software_id, slug, name, name_fold, keywords, active, organisation_id, licence,
    categories, development_status, states, organisation_kind, cohort_year, reuse_count, production_reuse,
    confirmed_reuse, confirmed_reuse_count, confirmed_production_count, disputed_reuse_count, production_reuse_count,
    publiccode_valid, maintained, latest_release_at, name_tsv, short_tsv, more_tsv)
  SELECT x.id, x.slug, x.name, x.name_fold, x.keywords, x.active, x.organisation_id, x.licence, x.categories,
    x.development_status, x.states, x.kind, x.cohort_year, x.n, x.production > 0,
    x.confirmed > 0, x.confirmed, x.confirmed_production, x.disputed, x.production,
    x.publiccode_valid, x.maintained, x.latest_release_at, x.name_tsv, x.short_tsv, x.more_tsv
  FROM (
    SELECT s.id, s.slug, s.name, public.th_fold(s.name) AS name_fold,
      public.th_fold(concat_ws(' ', s.name, s.short_description_de, s.short_description_en,
        array_to_string(s.features, ' '), array_to_string(s.categories, ' '))) AS keywords,
      s.active AND s.listed AS active, s.organisation_id, s.licence, s.categories, s.development_status,
      coalesce((SELECT array_agg(btrim(x)) FROM unnest(string_to_array(o.state, ';')) AS x WHERE btrim(x) <> ''), '{}') AS states,
      o.kind, o.cohort_year, r.n, r.production, r.confirmed, r.confirmed_production, r.disputed,
      coalesce(s.publiccode_valid, false) AS publiccode_valid,
      coalesce(s.maintenance_type IN ('internal', 'contract', 'community'), false) AS maintained,
      s.latest_release_at,
      strip(public.th_doc(s.name, 'A')) AS name_tsv,
      strip(public.th_doc(concat_ws(' ', s.short_description_de, s.short_description_en), 'B')) AS short_tsv,
      strip(public.th_doc(concat_ws(' ', array_to_string(s.features, ' '), array_to_string(s.categories, ' '), o.name), 'C')) AS more_tsv
    FROM software s
    JOIN organisation o ON o.id = s.organisation_id
    CROSS JOIN LATERAL (
      SELECT (count(*) FILTER (WHERE r.verification <> 'disputed'))::int AS n,
        (count(*) FILTER (WHERE r.verification <> 'disputed' AND r.status = 'production'))::int AS production,
        (count(*) FILTER (WHERE r.verification = 'confirmed'))::int AS confirmed,
        (count(*) FILTER (WHERE r.verification = 'confirmed' AND r.status = 'production'))::int AS confirmed_production,
        (count(*) FILTER (WHERE r.verification = 'disputed'))::int AS disputed
      FROM reuse r
      WHERE r.software_id = s.id AND r.withdrawn_at IS NULL AND r.status <> 'retired'
        AND public.th_reuse_by_other(r.organisation_id, s.organisation_id)
    ) r
    WHERE s.id = ANY(ids)
  ) x
  ON CONFLICT (software_id) DO UPDATE SET
    slug = excluded.slug, name = excluded.name, name_fold = excluded.name_fold, keywords = excluded.keywords,
    active = excluded.active, organisation_id = excluded.organisation_id, licence = excluded.licence,
    categories = excluded.categories, development_status = excluded.development_status, states = excluded.states,
    organisation_kind = excluded.organisation_kind, cohort_year = excluded.cohort_year,
    reuse_count = excluded.reuse_count, production_reuse = excluded.production_reuse,
    confirmed_reuse = excluded.confirmed_reuse, confirmed_reuse_count = excluded.confirmed_reuse_count,
    confirmed_production_count = excluded.confirmed_production_count, disputed_reuse_count = excluded.disputed_reuse_count,
    production_reuse_count = excluded.production_reuse_count,
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
-- The transfer-package counts of some entries, as the transfer_item triggers keep them (now also
-- called by th_search_build).
CREATE OR REPLACE FUNCTION public.th_transfer_recount(ids uuid[]) RETURNS void LANGUAGE sql
AS $$
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
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION public.th_transfer_items_changed() RETURNS trigger LANGUAGE plpgsql
AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM public.th_transfer_recount(ARRAY(SELECT DISTINCT software_id FROM new_rows));
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM public.th_transfer_recount(ARRAY(SELECT DISTINCT software_id FROM old_rows));
  ELSE
    PERFORM public.th_transfer_recount(ARRAY(SELECT software_id FROM new_rows UNION SELECT software_id FROM old_rows));
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- Builds the documents of queued entries (the caller holds their search_pending rows and their
-- software rows locked): the document with its final counts, the counts other triggers keep for
-- the few entries that gained transfer items or experience reports while queued, the vocabulary,
-- and off the queue. Vocabulary last and in term order: concurrent builders share common terms,
-- and hold their locks only until their commit.
CREATE OR REPLACE FUNCTION public.th_search_build(ids uuid[]) RETURNS void LANGUAGE plpgsql
AS $$
DECLARE
  extra uuid[];
BEGIN
  PERFORM public.th_search_refresh(ids);
  extra := ARRAY(SELECT DISTINCT t.software_id FROM transfer_item t WHERE t.software_id = ANY(ids));
  IF cardinality(extra) > 0 THEN
    PERFORM public.th_transfer_recount(extra);
  END IF;
  UPDATE software_search t SET experience_reports = c.n
  FROM (
    SELECT e.software_id AS sid, count(*)::int AS n FROM experience_report e
    WHERE e.software_id = ANY(ids) AND e.hidden_at IS NULL GROUP BY e.software_id
  ) c
  WHERE t.software_id = c.sid AND t.experience_reports IS DISTINCT FROM c.n;
  INSERT INTO search_term AS t (term, display, doc_count)
  SELECT w.term, min(w.display), count(*)
  FROM software n, LATERAL public.th_terms(public.th_vocabulary_text(n)) w
  WHERE n.id = ANY(ids) AND n.active AND n.listed
  GROUP BY w.term ORDER BY w.term
  ON CONFLICT (term) DO UPDATE SET doc_count = t.doc_count + excluded.doc_count;
  DELETE FROM search_pending WHERE software_id = ANY(ids);
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION public.th_software_inserted() RETURNS trigger LANGUAGE plpgsql
AS $$
BEGIN
  IF current_setting('transferhub.search_build', true) = 'deferred' THEN
    INSERT INTO search_pending (software_id) SELECT id FROM new_rows ON CONFLICT DO NOTHING;
    RETURN NULL;
  END IF;
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
-- A queued entry is left to its builder (which reads the row as it is then): its old words were
-- never counted, so no vocabulary delta, and no document written twice.
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
         o.publiccode_valid, o.readme_markdown, o.latest_release_at, o.active, o.listed)
    AND NOT EXISTS (SELECT 1 FROM search_pending p WHERE p.software_id = n.id);
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
