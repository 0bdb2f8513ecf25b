-- hand-written
-- A software list or search page shows, besides the summary, each entry's reuse counts by other
-- organisations and its provenance (origin hub, when last received). They were read per page by
-- two statements beside the rows (reuse counts, provenance); the search document now carries
-- them, so a page is one statement, and the in-process index can filter by origin (issue 13's
-- long tail: each statement cost ~0.5 ms of API CPU in the socket write alone; issue 15: the
-- index declined origin=…).
--
-- The counts follow otherCounts (src/domain/reuse/reuse-counts.ts): reuse by another
-- organisation (th_reuse_by_other), not withdrawn, not retired; disputed records counted apart.
-- reuse_count, confirmed_reuse_count and confirmed_production_count already were these counts
-- (the boost reads them); the two missing ones are added.
ALTER TABLE public.software_search
  ADD COLUMN disputed_reuse_count integer NOT NULL DEFAULT 0,
  ADD COLUMN production_reuse_count integer NOT NULL DEFAULT 0,
  ADD COLUMN origin_hub text,
  ADD COLUMN received_at timestamp with time zone;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION public.th_reuse_recount(ids uuid[]) RETURNS void LANGUAGE sql
AS $$
  UPDATE software_search t SET reuse_count = c.n, production_reuse = c.production > 0,
    confirmed_reuse = c.confirmed > 0, confirmed_reuse_count = c.confirmed, confirmed_production_count = c.confirmed_production,
    disputed_reuse_count = c.disputed, production_reuse_count = c.production
  FROM (
    SELECT s.id AS sid,
      (count(r.id) FILTER (WHERE r.verification <> 'disputed'))::int AS n,
      (count(r.id) FILTER (WHERE r.verification <> 'disputed' AND r.status = 'production'))::int AS production,
      (count(r.id) FILTER (WHERE r.verification = 'confirmed'))::int AS confirmed,
      (count(r.id) FILTER (WHERE r.verification = 'confirmed' AND r.status = 'production'))::int AS confirmed_production,
      (count(r.id) FILTER (WHERE r.verification = 'disputed'))::int AS disputed
    FROM software s
    LEFT JOIN reuse r ON r.software_id = s.id AND r.withdrawn_at IS NULL AND r.status <> 'retired'
      AND public.th_reuse_by_other(r.organisation_id, s.organisation_id)
    WHERE s.id = ANY(ids)
    GROUP BY s.id
  ) c
  WHERE t.software_id = c.sid
    AND (t.reuse_count, t.production_reuse_count, t.confirmed_reuse_count, t.confirmed_production_count, t.disputed_reuse_count)
      IS DISTINCT FROM (c.n, c.production, c.confirmed, c.confirmed_production, c.disputed);
$$;
--> statement-breakpoint
-- Provenance: a new search document takes its entry's federation_record (th_search_refresh
-- inserts it; an update leaves these columns alone) …
CREATE OR REPLACE FUNCTION public.th_search_provenance_new() RETURNS trigger LANGUAGE plpgsql
AS $$
BEGIN
  SELECT fr.origin_hub, fr.received_at INTO NEW.origin_hub, NEW.received_at
  FROM public.federation_record fr WHERE fr.type = 'software' AND fr.record_id = NEW.software_id;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER th_software_search_provenance BEFORE INSERT ON public.software_search
  FOR EACH ROW EXECUTE FUNCTION public.th_search_provenance_new();
--> statement-breakpoint
-- … and follows it when a record is received, deleted or becomes mirrored afterwards.
CREATE OR REPLACE FUNCTION public.th_federation_record_provenance() RETURNS trigger LANGUAGE plpgsql
AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.type = 'software' THEN
      UPDATE public.software_search SET origin_hub = NULL, received_at = NULL
      WHERE software_id = OLD.record_id AND (origin_hub, received_at) IS DISTINCT FROM (NULL, NULL);
    END IF;
    RETURN NULL;
  END IF;
  IF NEW.type = 'software' THEN
    UPDATE public.software_search SET origin_hub = NEW.origin_hub, received_at = NEW.received_at
    WHERE software_id = NEW.record_id AND (origin_hub, received_at) IS DISTINCT FROM (NEW.origin_hub, NEW.received_at);
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER th_federation_record_provenance AFTER INSERT OR UPDATE OF origin_hub, received_at OR DELETE ON public.federation_record
  FOR EACH ROW EXECUTE FUNCTION public.th_federation_record_provenance();
--> statement-breakpoint
-- TRUNCATE has no row triggers: every entry is local again.
CREATE OR REPLACE FUNCTION public.th_federation_record_provenance_truncated() RETURNS trigger LANGUAGE plpgsql
AS $$
BEGIN
  UPDATE public.software_search SET origin_hub = NULL, received_at = NULL WHERE origin_hub IS NOT NULL OR received_at IS NOT NULL;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER th_federation_record_provenance_truncate AFTER TRUNCATE ON public.federation_record
  FOR EACH STATEMENT EXECUTE FUNCTION public.th_federation_record_provenance_truncated();
--> statement-breakpoint
UPDATE public.software_search ss SET origin_hub = fr.origin_hub, received_at = fr.received_at
FROM public.federation_record fr WHERE fr.type = 'software' AND fr.record_id = ss.software_id;
--> statement-breakpoint
SELECT public.th_reuse_recount(ARRAY(SELECT r.software_id FROM public.reuse r GROUP BY r.software_id));
