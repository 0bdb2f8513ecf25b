CREATE TABLE "federation_changelog" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"id" text NOT NULL,
	"origin" text NOT NULL,
	"origin_version" bigint NOT NULL,
	"op" text NOT NULL,
	"entry" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "federation_cursor" (
	"peer_id" uuid PRIMARY KEY NOT NULL,
	"cursor" text,
	"log_epoch" text,
	"high_water_mark" bigint,
	"snapshot" jsonb,
	"snapshot_completed_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "federation_log_state" (
	"id" boolean PRIMARY KEY DEFAULT true NOT NULL,
	"hub_id" text,
	"epoch" uuid DEFAULT gen_random_uuid() NOT NULL,
	"horizon_seq" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "federation_peer_key" (
	"peer_id" uuid NOT NULL,
	"kid" text NOT NULL,
	"public_jwk" jsonb NOT NULL,
	"status" text DEFAULT 'pinned' NOT NULL,
	"not_after" timestamp with time zone,
	"pinned_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "federation_peer_key_peer_id_kid_pk" PRIMARY KEY("peer_id","kid")
);
--> statement-breakpoint
CREATE TABLE "federation_peer" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"hub_id" text NOT NULL,
	"base_url" text NOT NULL,
	"name" text,
	"descriptor" jsonb,
	"pull_enabled" boolean DEFAULT true NOT NULL,
	"pull_interval_seconds" integer DEFAULT 300 NOT NULL,
	"serve_enabled" boolean DEFAULT true NOT NULL,
	"accepted_types" text[] DEFAULT '{organisation,software,release,reuse}'::text[] NOT NULL,
	"served_types" text[] DEFAULT '{organisation,software,release,reuse}'::text[] NOT NULL,
	"authority_scope" jsonb DEFAULT '{"officialKeyPrefixes":[],"organisationIds":[]}'::jsonb NOT NULL,
	"relay_origins" text[] DEFAULT '{}'::text[] NOT NULL,
	"max_page_bytes" integer DEFAULT 8388608 NOT NULL,
	"rate_limit_per_minute" integer DEFAULT 120 NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"status_reason" text,
	"last_success_at" timestamp with time zone,
	"last_failure_at" timestamp with time zone,
	"last_error" text,
	"failure_days" date[] DEFAULT '{}'::date[] NOT NULL,
	"pages_pulled" bigint DEFAULT 0 NOT NULL,
	"entries_applied" bigint DEFAULT 0 NOT NULL,
	"entries_skipped" bigint DEFAULT 0 NOT NULL,
	"entries_quarantined" bigint DEFAULT 0 NOT NULL,
	"deletes_held" bigint DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "federation_peer_hub_id_unique" UNIQUE("hub_id")
);
--> statement-breakpoint
CREATE TABLE "federation_quarantine" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"peer_id" uuid NOT NULL,
	"type" text,
	"global_id" text,
	"origin" text,
	"origin_version" bigint,
	"reason" text NOT NULL,
	"detail" text,
	"entry" jsonb NOT NULL,
	"status" text DEFAULT 'held' NOT NULL,
	"decided_at" timestamp with time zone,
	"decided_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "federation_record" (
	"type" text NOT NULL,
	"record_id" uuid NOT NULL,
	"global_id" text NOT NULL,
	"origin_hub" text,
	"origin_version" bigint NOT NULL,
	"origin_updated_at" timestamp with time zone NOT NULL,
	"received_from" text,
	"received_at" timestamp with time zone,
	"via" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"content_digest" text NOT NULL,
	"origin_proof" jsonb,
	"entry" jsonb NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"deleted_at" timestamp with time zone,
	"stale_since" timestamp with time zone,
	"local_overlay" jsonb,
	CONSTRAINT "federation_record_type_record_id_pk" PRIMARY KEY("type","record_id"),
	CONSTRAINT "federation_record_global_id_unique" UNIQUE("global_id")
);
--> statement-breakpoint
ALTER TABLE "federation_cursor" ADD CONSTRAINT "federation_cursor_peer_id_federation_peer_id_fk" FOREIGN KEY ("peer_id") REFERENCES "public"."federation_peer"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "federation_peer_key" ADD CONSTRAINT "federation_peer_key_peer_id_federation_peer_id_fk" FOREIGN KEY ("peer_id") REFERENCES "public"."federation_peer"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "federation_quarantine" ADD CONSTRAINT "federation_quarantine_peer_id_federation_peer_id_fk" FOREIGN KEY ("peer_id") REFERENCES "public"."federation_peer"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "federation_changelog_type_seq_idx" ON "federation_changelog" USING btree ("type","seq");--> statement-breakpoint
CREATE INDEX "federation_changelog_id_idx" ON "federation_changelog" USING btree ("id","seq");--> statement-breakpoint
CREATE INDEX "federation_quarantine_peer_idx" ON "federation_quarantine" USING btree ("peer_id","status","created_at");--> statement-breakpoint
CREATE INDEX "federation_record_origin_idx" ON "federation_record" USING btree ("origin_hub","type");--> statement-breakpoint
-- hand-written below
-- The one row of federation state; hub_id stays null (federation off) until a start with
-- HUB_FEDERATION=true writes it.
INSERT INTO public.federation_log_state DEFAULT VALUES;
--> statement-breakpoint
-- Timestamps in entries: one spelling whatever the session's TimeZone, since proofs sign the bytes.
CREATE FUNCTION public.th_federation_iso(p_at timestamptz) RETURNS text LANGUAGE sql IMMUTABLE
AS $$ SELECT to_char(p_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') $$;
--> statement-breakpoint
-- The global id of a referenced record: the origin's URI for a mirrored one, ours otherwise.
CREATE FUNCTION public.th_federation_gid(p_type text, p_id uuid, p_hub text) RETURNS text LANGUAGE sql STABLE
AS $$
  SELECT COALESCE((SELECT global_id FROM public.federation_record WHERE type = p_type AND record_id = p_id),
                  p_hub || '/id/' || p_type || '/' || p_id::text)
$$;
--> statement-breakpoint
-- The record as a federation entry carries it (src/domain/federation/README.md), or null when the
-- row is gone or not part of the catalogue (inactive software). Not exported: webhook secrets,
-- crawl results a peer crawls itself (README html, forge facts) and reuse contacts (personal data).
CREATE FUNCTION public.th_federation_body(p_type text, p_id uuid, p_hub text) RETURNS jsonb LANGUAGE plpgsql STABLE
AS $$
DECLARE
  v_body jsonb;
BEGIN
  IF p_type = 'organisation' THEN
    SELECT jsonb_build_object(
      'slug', o.slug, 'name', o.name, 'kind', o.kind, 'officialKey', o.official_key, 'memberKeys', to_jsonb(o.member_keys),
      'state', o.state, 'programme', o.programme, 'cohortYear', o.cohort_year, 'website', o.website, 'codeHosting', o.code_hosting)
    INTO v_body FROM public.organisation o WHERE o.id = p_id;
  ELSIF p_type = 'software' THEN
    SELECT jsonb_build_object(
      'slug', s.slug, 'name', s.name, 'organisation', public.th_federation_gid('organisation', s.organisation_id, p_hub),
      'shortDescription', jsonb_build_object('de', s.short_description_de, 'en', s.short_description_en),
      'longDescription', jsonb_build_object('de', s.long_description_de, 'en', s.long_description_en),
      'categories', to_jsonb(s.categories), 'features', to_jsonb(s.features), 'licence', s.licence,
      'developmentStatus', s.development_status, 'maintenanceType', s.maintenance_type, 'repositoryUrl', s.repository_url,
      'publiccode', s.publiccode, 'readmeMarkdown', s.readme_markdown, 'listed', s.listed)
    INTO v_body FROM public.software s WHERE s.id = p_id AND s.active;
  ELSIF p_type = 'release' THEN
    SELECT jsonb_build_object(
      'software', public.th_federation_gid('software', r.software_id, p_hub), 'version', r.version,
      'releasedAt', public.th_federation_iso(r.released_at), 'notes', r.notes, 'url', r.url, 'source', r.source)
    INTO v_body FROM public.release r WHERE r.id = p_id;
  ELSIF p_type = 'reuse' THEN
    SELECT jsonb_build_object(
      'software', public.th_federation_gid('software', u.software_id, p_hub),
      'organisation', public.th_federation_gid('organisation', u.organisation_id, p_hub),
      'status', u.status, 'versionInUse', u.version_in_use, 'since', u.since::text, 'notes', u.notes,
      'verification', u.verification, 'disputeReason', u.dispute_reason, 'withdrawnAt', public.th_federation_iso(u.withdrawn_at))
    INTO v_body FROM public.reuse u WHERE u.id = p_id;
  END IF;
  RETURN v_body;
END
$$;
--> statement-breakpoint
-- Sequence order must be commit order, or a peer that read up to seq n never sees a seq below n
-- that committed later. Appends happen at commit (deferred triggers) under the row lock of
-- catalogue_revision, the lock every catalogue write already takes at commit
-- (th_bump_revision): one commit-time lock, so two writers can never hold one each while waiting
-- for the other, as they could with a second (advisory) lock taken in another order.
CREATE FUNCTION public.th_federation_commit_order() RETURNS void LANGUAGE plpgsql
AS $$
BEGIN
  PERFORM 1 FROM public.catalogue_revision FOR UPDATE;
END
$$;
--> statement-breakpoint
-- A local record changed: at commit, compare its exported form with the last one and, if it
-- differs, bump originVersion and append an upsert (or a tombstone when it is gone).
CREATE FUNCTION public.th_federation_local_change() RETURNS trigger LANGUAGE plpgsql
AS $$
DECLARE
  v_type text := TG_ARGV[0];
  v_id uuid;
  v_hub text;
  v_rec public.federation_record;
  v_found boolean;
  v_body jsonb;
  v_digest text;
  v_op text;
  v_version bigint;
  v_gid text;
  v_entry jsonb;
BEGIN
  SELECT hub_id INTO v_hub FROM public.federation_log_state;
  IF v_hub IS NULL THEN RETURN NULL; END IF;
  IF TG_OP = 'DELETE' THEN v_id := OLD.id; ELSE v_id := NEW.id; END IF;
  SELECT * INTO v_rec FROM public.federation_record WHERE type = v_type AND record_id = v_id;
  v_found := FOUND;
  -- A mirrored record travels as its origin's entry (th_federation_received_change).
  IF v_found AND v_rec.origin_hub IS NOT NULL THEN RETURN NULL; END IF;
  v_body := public.th_federation_body(v_type, v_id, v_hub);
  IF v_body IS NULL THEN
    -- Gone: one tombstone. A record never exported (inserted inactive) needs none; one from
    -- before federation was on may sit in a peer's snapshot, so it gets one.
    IF v_found AND v_rec.status = 'tombstoned' THEN RETURN NULL; END IF;
    IF NOT v_found AND TG_OP = 'INSERT' THEN RETURN NULL; END IF;
    v_op := 'delete';
    v_digest := 'deleted';
  ELSE
    v_op := 'upsert';
    v_digest := encode(sha256(convert_to(v_body::text, 'UTF8')), 'hex');
    IF v_found AND v_rec.status = 'active' AND v_rec.content_digest = v_digest THEN RETURN NULL; END IF;
  END IF;
  PERFORM public.th_federation_commit_order();
  v_version := COALESCE(v_rec.origin_version, 0) + 1;
  v_gid := v_hub || '/id/' || v_type || '/' || v_id::text;
  v_entry := jsonb_build_object('op', v_op, 'type', v_type, 'id', v_gid, 'origin', v_hub, 'originVersion', v_version,
    'originUpdatedAt', public.th_federation_iso(now()), 'schema', 'transferhub.' || v_type || '/1', 'via', '[]'::jsonb);
  IF v_op = 'upsert' THEN
    v_entry := v_entry || jsonb_build_object('record', v_body);
  ELSE
    v_entry := v_entry || jsonb_build_object('deletedAt', public.th_federation_iso(now()), 'reason', 'deleted');
  END IF;
  INSERT INTO public.federation_record AS f (type, record_id, global_id, origin_hub, origin_version, origin_updated_at, content_digest, entry, status, deleted_at)
  VALUES (v_type, v_id, v_gid, NULL, v_version, now(), v_digest, v_entry,
          CASE WHEN v_op = 'upsert' THEN 'active' ELSE 'tombstoned' END, CASE WHEN v_op = 'upsert' THEN NULL ELSE now() END)
  ON CONFLICT (type, record_id) DO UPDATE SET origin_version = EXCLUDED.origin_version, origin_updated_at = EXCLUDED.origin_updated_at,
    content_digest = EXCLUDED.content_digest, entry = EXCLUDED.entry, status = EXCLUDED.status, deleted_at = EXCLUDED.deleted_at;
  INSERT INTO public.federation_changelog (type, id, origin, origin_version, op, entry)
  VALUES (v_type, v_gid, v_hub, v_version, v_op, v_entry);
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- Deferred to commit: the row as committed is what is exported (several updates in one
-- transaction give one entry), and the commit-order lock is held only for the commit.
CREATE CONSTRAINT TRIGGER th_federation_organisation AFTER INSERT OR UPDATE OR DELETE ON public.organisation
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION public.th_federation_local_change('organisation');
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER th_federation_software AFTER INSERT OR UPDATE OR DELETE ON public.software
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION public.th_federation_local_change('software');
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER th_federation_release AFTER INSERT OR UPDATE OR DELETE ON public.release
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION public.th_federation_local_change('release');
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER th_federation_reuse AFTER INSERT OR UPDATE OR DELETE ON public.reuse
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION public.th_federation_local_change('reuse');
--> statement-breakpoint
-- A mirrored record's state changed (the applier wrote federation_record): at commit, relay the
-- entry as received, proof and via included, unless this version and op are in the log already.
CREATE FUNCTION public.th_federation_received_change() RETURNS trigger LANGUAGE plpgsql
AS $$
DECLARE
  v_rec public.federation_record;
BEGIN
  IF (SELECT hub_id FROM public.federation_log_state) IS NULL THEN RETURN NULL; END IF;
  SELECT * INTO v_rec FROM public.federation_record WHERE type = NEW.type AND record_id = NEW.record_id;
  IF NOT FOUND OR v_rec.origin_hub IS NULL OR v_rec.status = 'quarantined' THEN RETURN NULL; END IF;
  IF EXISTS (SELECT 1 FROM public.federation_changelog c WHERE c.id = v_rec.global_id
             AND c.origin_version = v_rec.origin_version AND c.op = v_rec.entry->>'op') THEN
    RETURN NULL;
  END IF;
  PERFORM public.th_federation_commit_order();
  INSERT INTO public.federation_changelog (type, id, origin, origin_version, op, entry)
  VALUES (v_rec.type, v_rec.global_id, v_rec.origin_hub, v_rec.origin_version, v_rec.entry->>'op', v_rec.entry);
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER th_federation_received AFTER INSERT OR UPDATE ON public.federation_record
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION public.th_federation_received_change();
