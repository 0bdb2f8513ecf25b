-- th_search_flush locked its entries FOR UPDATE, which also blocks every foreign-key check on them
-- (FOR KEY SHARE): while the documents of the software pages were built, each release page of the
-- bootstrap waited for the flush (measured at a load of ~6: the release pages of 10,000 software
-- took 36 s after the software pages, ~24 s before 0019). Now it locks them FOR NO KEY UPDATE,
-- which only updates of the entries wait for, and
-- the writes whose search effect needs the document (reuse counts, experience reports, transfer
-- package items) wait for a flush of their entries by locking their search_pending rows first: if
-- the flush has them, they wait and then update the document it built; if they lock first, the
-- flush skips the entry and sees their rows when it takes it later.
CREATE FUNCTION public.th_search_pending_wait(ids uuid[]) RETURNS void LANGUAGE plpgsql
AS $$
BEGIN
  PERFORM 1 FROM public.search_pending WHERE software_id = ANY(ids) FOR SHARE;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION public.th_reuse_recount(ids uuid[])
 RETURNS void
 LANGUAGE sql
AS $$
  SELECT public.th_search_pending_wait(ids);
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
CREATE OR REPLACE FUNCTION public.th_experience_reports_changed()
 RETURNS trigger
 LANGUAGE plpgsql
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
  -- An entry whose document is being built: wait for it (th_search_pending_wait).
  PERFORM public.th_search_pending_wait(ids);
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
CREATE OR REPLACE FUNCTION public.th_transfer_items_changed()
 RETURNS trigger
 LANGUAGE plpgsql
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
  -- An entry whose document is being built: wait for it (th_search_pending_wait).
  PERFORM public.th_search_pending_wait(ids);
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
CREATE OR REPLACE FUNCTION public.th_search_flush(p_limit integer)
 RETURNS integer
 LANGUAGE plpgsql
AS $$
DECLARE
  ids uuid[];
BEGIN
  ids := ARRAY(
    SELECT p.software_id FROM public.search_pending p JOIN public.software s ON s.id = p.software_id
    ORDER BY p.software_id LIMIT p_limit FOR UPDATE OF p SKIP LOCKED FOR NO KEY UPDATE OF s SKIP LOCKED);
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
