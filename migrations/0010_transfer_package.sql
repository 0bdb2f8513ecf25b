CREATE TABLE "transfer_item" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"software_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"source" text NOT NULL,
	"not_applicable" boolean DEFAULT false NOT NULL,
	"url" text,
	"repository_id" uuid,
	"path" text,
	"email" text,
	"origin" text,
	"language" text,
	"last_checked_on" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "transfer_item_target" CHECK ("transfer_item"."not_applicable" OR num_nonnulls("transfer_item"."url", "transfer_item"."path", "transfer_item"."email") = 1),
	CONSTRAINT "transfer_item_path_repository" CHECK (("transfer_item"."path" IS NULL) = ("transfer_item"."repository_id" IS NULL) OR ("transfer_item"."path" IS NULL AND "transfer_item"."source" = 'discovered'))
);
--> statement-breakpoint
ALTER TABLE "repository" ADD COLUMN "head_committed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "transfer_item" ADD CONSTRAINT "transfer_item_software_id_software_id_fk" FOREIGN KEY ("software_id") REFERENCES "public"."software"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfer_item" ADD CONSTRAINT "transfer_item_repository_id_repository_id_fk" FOREIGN KEY ("repository_id") REFERENCES "public"."repository"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "transfer_item_declared_key" ON "transfer_item" USING btree ("software_id","kind") WHERE "transfer_item"."source" = 'declared';--> statement-breakpoint
CREATE INDEX "transfer_item_software_idx" ON "transfer_item" USING btree ("software_id","kind");--> statement-breakpoint
CREATE INDEX "transfer_item_repository_idx" ON "transfer_item" USING btree ("repository_id");--> statement-breakpoint
-- hand-written below
-- The transfer-package score per software: kinds present (a declared or discovered item) out of
-- the kinds that apply (11 = TRANSFER_KINDS.length in src/db/schema/transfer-items.ts, minus the
-- kinds the owner declared not applicable; a declared "not applicable" also hides a discovered item).
-- A view, not a stored counter: the software detail reads one row of it, the programme report
-- (GET /v1/programmes/{programme}/report) joins it for every funded entry, and the planner pushes
-- their filters into it (transfer_item_software_idx).
CREATE VIEW "transfer_package_score" AS
SELECT k.software_id,
  count(*) FILTER (WHERE NOT k.not_applicable)::int AS present,
  (11 - count(*) FILTER (WHERE k.not_applicable))::int AS applicable
FROM (
  SELECT software_id, kind, bool_or(not_applicable AND source = 'declared') AS not_applicable
  FROM transfer_item
  GROUP BY software_id, kind
) k
GROUP BY k.software_id;
--> statement-breakpoint
-- The score as a search signal (facet and ranking, issue 11 §3): present / applicable, 0 for an
-- entry without items, kept by the trigger below. The search module reads it; this migration only
-- provides it.
ALTER TABLE "software_search" ADD COLUMN "transfer_completeness" real DEFAULT 0 NOT NULL;
--> statement-breakpoint
CREATE FUNCTION public.th_transfer_items_changed() RETURNS trigger LANGUAGE plpgsql
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
  UPDATE software_search t SET transfer_completeness = c.completeness
  FROM (
    SELECT u.sid, coalesce((SELECT p.present::real / nullif(p.applicable, 0) FROM transfer_package_score p WHERE p.software_id = u.sid), 0)::real AS completeness
    FROM unnest(ids) AS u(sid)
  ) c
  WHERE t.software_id = c.sid AND t.transfer_completeness IS DISTINCT FROM c.completeness;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER th_transfer_item_search_insert AFTER INSERT ON transfer_item
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.th_transfer_items_changed();
--> statement-breakpoint
CREATE TRIGGER th_transfer_item_search_update AFTER UPDATE ON transfer_item
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.th_transfer_items_changed();
--> statement-breakpoint
CREATE TRIGGER th_transfer_item_search_delete AFTER DELETE ON transfer_item
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public.th_transfer_items_changed();
