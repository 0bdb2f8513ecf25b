-- hand-written
-- A software list page shows, besides the search document, each entry's reuse counts and its
-- provenance (origin hub, when last received). The answer cache keeps whole list pages per
-- catalogue revision (listSoftwarePage), so every change to either must move the revision:
-- a reuse whose status or verification changes leaves software_search as it is (it holds only
-- some counts), and receiving a federated record again updates only federation_record.
CREATE CONSTRAINT TRIGGER th_reuse_revision AFTER INSERT OR DELETE OR UPDATE ON public.reuse
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION public.th_bump_revision();
--> statement-breakpoint
CREATE TRIGGER th_reuse_truncate_revision AFTER TRUNCATE ON public.reuse
  FOR EACH STATEMENT EXECUTE FUNCTION public.th_bump_revision();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER th_federation_record_revision AFTER INSERT OR DELETE OR UPDATE ON public.federation_record
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION public.th_bump_revision();
--> statement-breakpoint
CREATE TRIGGER th_federation_record_truncate_revision AFTER TRUNCATE ON public.federation_record
  FOR EACH STATEMENT EXECUTE FUNCTION public.th_bump_revision();
