-- Search documents built after the write instead of in it (issue 15, bootstrap of 100,000 entries).
-- A new software's search document (th_software_inserted: th_search_refresh and the vocabulary)
-- costs ~2.5 ms of PostgreSQL CPU per entry, almost all of it to_tsvector and th_terms; the
-- statement-level triggers are already set-wise, so batching saves nothing (measured: 1.5 s per
-- 1,000 rows for 1,000 or 5,000 at a time, and 1.4 s with the GIN indexes dropped). What a
-- bootstrap can save is waiting for it: a snapshot page of a peer sets
-- `transferhub.search_deferred` for its transaction, its new software only lands in
-- search_pending, and th_search_flush builds their documents in other transactions while the
-- next pages are applied (src/domain/search/search-backlog.ts). The documents are the ones the
-- insert trigger would have built (test/federation/search-deferred.test.ts compares them).
CREATE TABLE public.search_pending (
  software_id uuid PRIMARY KEY REFERENCES public.software (id) ON DELETE CASCADE
);
--> statement-breakpoint
CREATE OR REPLACE FUNCTION public.th_software_inserted() RETURNS trigger LANGUAGE plpgsql
AS $$
BEGIN
  IF current_setting('transferhub.search_deferred', true) = 'on' THEN
    INSERT INTO public.search_pending (software_id) SELECT id FROM new_rows ON CONFLICT DO NOTHING;
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
-- An entry still in search_pending has no vocabulary counted yet: th_search_flush counts it as it
-- is then, so an update before that moves nothing (a delta here would be counted twice).
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
    AND NOT EXISTS (SELECT 1 FROM public.search_pending p WHERE p.software_id = n.id);
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
-- Builds the documents of up to p_limit pending entries, as th_software_inserted would have, plus
-- what later writes could not update while there was no document: reuse counts, experience
-- reports and the transfer package (their triggers only update existing documents). Returns how
-- many it built. The entries' rows are locked first (SKIP LOCKED: one a writer holds now is taken
-- next time), so an update, or a reuse or experience report naming one of them (a foreign key
-- check locks the row), either waits for this transaction and then sees the document, or came
-- first and is seen here.
CREATE FUNCTION public.th_search_flush(p_limit integer) RETURNS integer LANGUAGE plpgsql
AS $$
DECLARE
  ids uuid[];
BEGIN
  ids := ARRAY(
    SELECT p.software_id FROM public.search_pending p JOIN public.software s ON s.id = p.software_id
    ORDER BY p.software_id LIMIT p_limit FOR UPDATE OF p, s SKIP LOCKED);
  IF cardinality(ids) = 0 THEN
    RETURN 0;
  END IF;
  DELETE FROM public.search_pending WHERE software_id = ANY(ids);
  PERFORM public.th_search_refresh(ids);
  INSERT INTO search_term AS t (term, display, doc_count)
  SELECT w.term, min(w.display), count(*)
  FROM public.software n, LATERAL public.th_terms(public.th_vocabulary_text(n)) w
  WHERE n.id = ANY(ids) AND n.active AND n.listed
  GROUP BY w.term ORDER BY w.term
  ON CONFLICT (term) DO UPDATE SET doc_count = t.doc_count + excluded.doc_count;
  PERFORM public.th_reuse_recount(ids);
  UPDATE software_search t SET experience_reports = c.n
  FROM (
    SELECT u.sid, (SELECT count(*) FROM experience_report e WHERE e.software_id = u.sid AND e.hidden_at IS NULL)::int AS n
    FROM unnest(ids) AS u(sid)
  ) c
  WHERE t.software_id = c.sid AND t.experience_reports IS DISTINCT FROM c.n;
  UPDATE software_search t
  SET transfer_completeness = c.completeness, transfer_present = c.present, transfer_applicable = c.applicable
  FROM (
    SELECT u.sid, coalesce(p.present, 0) AS present, coalesce(p.applicable, 11) AS applicable,
      coalesce(p.present::real / nullif(p.applicable, 0), 0)::real AS completeness
    FROM unnest(ids) AS u(sid)
    LEFT JOIN (SELECT s.software_id, s.present, s.applicable FROM transfer_package_score s WHERE s.software_id = ANY(ids)) p
      ON p.software_id = u.sid
  ) c
  WHERE t.software_id = c.sid
    AND (t.transfer_completeness, t.transfer_present, t.transfer_applicable) IS DISTINCT FROM (c.completeness, c.present, c.applicable);
  RETURN cardinality(ids);
END $$;
