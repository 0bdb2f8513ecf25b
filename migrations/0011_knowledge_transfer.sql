CREATE TABLE "reuse_event" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"reuse_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"status" text NOT NULL,
	"reason" text,
	"actor" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "experience_report" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"reuse_id" uuid NOT NULL,
	"software_id" uuid NOT NULL,
	"organisation_id" uuid NOT NULL,
	"effort_person_days" real,
	"weeks_to_go_live" real,
	"running_cost_band" text,
	"hosting" text,
	"adaptations" text,
	"what_worked_markdown" text,
	"what_worked_html" text,
	"what_did_not_work_markdown" text,
	"what_did_not_work_html" text,
	"recommendation" smallint NOT NULL,
	"version" text,
	"contact" text,
	"contact_public" boolean DEFAULT false NOT NULL,
	"answer_markdown" text,
	"answer_html" text,
	"answered_by" text,
	"answered_at" timestamp with time zone,
	"hidden_at" timestamp with time zone,
	"hidden_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "need_match" (
	"need_id" uuid NOT NULL,
	"software_id" uuid NOT NULL,
	"rank" integer NOT NULL,
	"score" real NOT NULL,
	"explanation" jsonb NOT NULL,
	CONSTRAINT "need_match_need_id_software_id_pk" PRIMARY KEY("need_id","software_id")
);
--> statement-breakpoint
CREATE TABLE "need_supporter" (
	"need_id" uuid NOT NULL,
	"organisation_id" uuid NOT NULL,
	"joined_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "need_supporter_need_id_organisation_id_pk" PRIMARY KEY("need_id","organisation_id")
);
--> statement-breakpoint
CREATE TABLE "need" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"title" text NOT NULL,
	"description" text NOT NULL,
	"categories" text[] DEFAULT '{}'::text[] NOT NULL,
	"deadline" date,
	"budget_band" text,
	"status" text DEFAULT 'open' NOT NULL,
	"matched_revision" text,
	"matched_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "reuse" ADD COLUMN "verification" text DEFAULT 'self-declared' NOT NULL;--> statement-breakpoint
ALTER TABLE "reuse" ADD COLUMN "verified_by" text;--> statement-breakpoint
ALTER TABLE "reuse" ADD COLUMN "verified_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "reuse" ADD COLUMN "dispute_reason" text;--> statement-breakpoint
ALTER TABLE "reuse" ADD COLUMN "withdrawn_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "reuse_event" ADD CONSTRAINT "reuse_event_reuse_id_reuse_id_fk" FOREIGN KEY ("reuse_id") REFERENCES "public"."reuse"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "experience_report" ADD CONSTRAINT "experience_report_reuse_id_reuse_id_fk" FOREIGN KEY ("reuse_id") REFERENCES "public"."reuse"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "experience_report" ADD CONSTRAINT "experience_report_software_id_software_id_fk" FOREIGN KEY ("software_id") REFERENCES "public"."software"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "experience_report" ADD CONSTRAINT "experience_report_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "need_match" ADD CONSTRAINT "need_match_need_id_need_id_fk" FOREIGN KEY ("need_id") REFERENCES "public"."need"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "need_match" ADD CONSTRAINT "need_match_software_id_software_id_fk" FOREIGN KEY ("software_id") REFERENCES "public"."software"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "need_supporter" ADD CONSTRAINT "need_supporter_need_id_need_id_fk" FOREIGN KEY ("need_id") REFERENCES "public"."need"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "need_supporter" ADD CONSTRAINT "need_supporter_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "need" ADD CONSTRAINT "need_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "reuse_event_reuse_idx" ON "reuse_event" USING btree ("reuse_id","at");--> statement-breakpoint
CREATE INDEX "experience_report_software_idx" ON "experience_report" USING btree ("software_id","created_at");--> statement-breakpoint
CREATE INDEX "experience_report_reuse_idx" ON "experience_report" USING btree ("reuse_id");--> statement-breakpoint
CREATE INDEX "need_status_created_idx" ON "need" USING btree ("status","created_at");--> statement-breakpoint
-- hand-written below
-- Issue 11 §1: reuse counts in the search document count reuse by OTHER organisations only: not
-- the producer itself, not an organisation sharing a cooperation with it (one's official key among
-- the other's member keys, shared member keys, or both members of a third organisation's
-- cooperation), and never a withdrawn, retired or disputed record.
CREATE FUNCTION public.th_reuse_by_other(reuser uuid, producer uuid) RETURNS boolean LANGUAGE sql STABLE
AS $$
  SELECT reuser <> producer AND NOT EXISTS (
    SELECT 1 FROM organisation r, organisation p
    WHERE r.id = reuser AND p.id = producer AND (
      (r.official_key IS NOT NULL AND r.official_key = ANY(p.member_keys))
      OR (p.official_key IS NOT NULL AND p.official_key = ANY(r.member_keys))
      OR r.member_keys && p.member_keys
      OR (r.official_key IS NOT NULL AND p.official_key IS NOT NULL AND EXISTS (
        SELECT 1 FROM organisation c WHERE c.member_keys @> ARRAY[r.official_key, p.official_key]))))
$$;
--> statement-breakpoint
-- th_reuse_by_other: the cooperations an organisation belongs to (member_keys @> …).
CREATE INDEX "organisation_member_keys_idx" ON "organisation" USING gin ("member_keys");
--> statement-breakpoint
-- confirmed_reuse: some other organisation's reuse the producer confirmed (GET /v1/software?confirmedReuse=true
-- once the search module filters on it); confirmed_reuse_count: the ranking signal.
ALTER TABLE "software_search" ADD COLUMN "confirmed_reuse" boolean NOT NULL DEFAULT false;
--> statement-breakpoint
ALTER TABLE "software_search" ADD COLUMN "confirmed_reuse_count" integer NOT NULL DEFAULT 0;
--> statement-breakpoint
-- The one place the search document's reuse signals are computed; writes only rows whose counts move.
CREATE FUNCTION public.th_reuse_recount(ids uuid[]) RETURNS void LANGUAGE sql
AS $$
  UPDATE software_search t SET reuse_count = c.n, production_reuse = c.production,
    confirmed_reuse = c.confirmed > 0, confirmed_reuse_count = c.confirmed,
    boost = public.th_boost(c.n, t.latest_release_at, t.publiccode_valid, t.maintained)
  FROM (
    SELECT s.id AS sid,
      count(r.id)::int AS n,
      coalesce(bool_or(r.status = 'production'), false) AS production,
      (count(r.id) FILTER (WHERE r.verification = 'confirmed'))::int AS confirmed
    FROM software s
    LEFT JOIN reuse r ON r.software_id = s.id AND r.withdrawn_at IS NULL AND r.status <> 'retired'
      AND r.verification <> 'disputed' AND public.th_reuse_by_other(r.organisation_id, s.organisation_id)
    WHERE s.id = ANY(ids)
    GROUP BY s.id
  ) c
  WHERE t.software_id = c.sid
    AND (t.reuse_count, t.production_reuse, t.confirmed_reuse_count) IS DISTINCT FROM (c.n, c.production, c.confirmed);
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION public.th_reuse_changed() RETURNS trigger LANGUAGE plpgsql
AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM public.th_reuse_recount(ARRAY(SELECT DISTINCT software_id FROM new_rows));
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM public.th_reuse_recount(ARRAY(SELECT DISTINCT software_id FROM old_rows));
  ELSE
    PERFORM public.th_reuse_recount(ARRAY(SELECT software_id FROM new_rows UNION SELECT software_id FROM old_rows));
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- th_search_refresh (run by the software triggers) still counts reuse the old way; this trigger
-- fires after it (same event, name sorts later) and puts the counts of entries with reuses right.
CREATE FUNCTION public.th_software_reuse_recount() RETURNS trigger LANGUAGE plpgsql
AS $$
BEGIN
  PERFORM public.th_reuse_recount(ARRAY(SELECT n.id FROM new_rows n WHERE EXISTS (SELECT 1 FROM reuse r WHERE r.software_id = n.id)));
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER th_software_search_update_reuse AFTER UPDATE ON software
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.th_software_reuse_recount();
--> statement-breakpoint
-- A change of official or member keys can make reuses count or stop counting anywhere: recount
-- every entry with reuses (an admin edit, rare; a few indexed statements per entry).
CREATE FUNCTION public.th_organisation_keys_changed() RETURNS trigger LANGUAGE plpgsql
AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM new_rows n JOIN old_rows o ON o.id = n.id
             WHERE (n.official_key, n.member_keys) IS DISTINCT FROM (o.official_key, o.member_keys)) THEN
    PERFORM public.th_reuse_recount(ARRAY(SELECT DISTINCT software_id FROM reuse));
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER th_organisation_keys_update AFTER UPDATE ON organisation
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.th_organisation_keys_changed();
--> statement-breakpoint
SELECT public.th_reuse_recount(ARRAY(SELECT DISTINCT software_id FROM reuse));
--> statement-breakpoint
-- Records from before the history: their creation is their first entry.
INSERT INTO reuse_event (reuse_id, kind, status, actor, at)
SELECT id, 'recorded', status, 'migration (recorded before the history)', created_at FROM reuse;
