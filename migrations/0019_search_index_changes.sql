-- hand-written
-- The in-process search index (src/domain/search/index/) of every API process keeps in step with
-- the catalogue by reading the search documents changed since the catalogue revision it holds:
-- each committed change of a software_search or software_search_text row records the entry and
-- the revision its transaction committed under (a row per entry, the latest revision). The
-- revision row is locked from the transaction's first bump to its commit (th_bump_revision), so
-- revisions follow commit order, and a reader that sees revision R sees every change up to R.
CREATE TABLE public.search_change (
  software_id uuid PRIMARY KEY,
  revision bigint NOT NULL
);
--> statement-breakpoint
-- changesSince (search-index.queries.ts): the entries changed after the index's revision.
CREATE INDEX search_change_revision_idx ON public.search_change (revision);
--> statement-breakpoint
-- Row triggers record their entry; TRUNCATE (no row triggers) records the nil id, which tells
-- every index to load anew.
CREATE OR REPLACE FUNCTION public.th_search_mark() RETURNS trigger LANGUAGE plpgsql
AS $$
DECLARE
  changed uuid;
BEGIN
  IF TG_LEVEL = 'STATEMENT' THEN
    changed := '00000000-0000-0000-0000-000000000000';
  ELSIF TG_OP = 'DELETE' THEN
    changed := OLD.software_id;
  ELSE
    changed := NEW.software_id;
  END IF;
  IF current_setting('transferhub.revision_bumped', true) IS DISTINCT FROM 'on' THEN
    UPDATE public.catalogue_revision SET revision = revision + 1;
    PERFORM set_config('transferhub.revision_bumped', 'on', true);
  END IF;
  INSERT INTO public.search_change AS c (software_id, revision)
  SELECT changed, r.revision FROM public.catalogue_revision r
  ON CONFLICT (software_id) DO UPDATE SET revision = excluded.revision WHERE c.revision IS DISTINCT FROM excluded.revision;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER th_software_search_mark AFTER INSERT OR DELETE ON public.software_search
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION public.th_search_mark();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER th_software_search_mark_update AFTER UPDATE ON public.software_search
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION public.th_search_mark();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER th_software_search_text_mark AFTER INSERT OR DELETE ON public.software_search_text
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION public.th_search_mark();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER th_software_search_text_mark_update AFTER UPDATE ON public.software_search_text
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION public.th_search_mark();
--> statement-breakpoint
CREATE TRIGGER th_software_search_truncate_mark AFTER TRUNCATE ON public.software_search
  FOR EACH STATEMENT EXECUTE FUNCTION public.th_search_mark();
--> statement-breakpoint
CREATE TRIGGER th_software_search_text_truncate_mark AFTER TRUNCATE ON public.software_search_text
  FOR EACH STATEMENT EXECUTE FUNCTION public.th_search_mark();
