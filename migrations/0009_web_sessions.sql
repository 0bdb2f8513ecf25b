CREATE TABLE "web_session" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"id_hash" text NOT NULL,
	"principal" jsonb NOT NULL,
	"token_id" uuid,
	"csrf_token" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "web_session_id_hash_unique" UNIQUE("id_hash")
);
--> statement-breakpoint
ALTER TABLE "web_session" ADD CONSTRAINT "web_session_token_id_api_token_id_fk" FOREIGN KEY ("token_id") REFERENCES "public"."api_token"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- Sign-in deletes expired sessions: DELETE FROM web_session WHERE expires_at < now(). (id_hash: its unique index serves the lookup of every page request.)
CREATE INDEX "web_session_expires_idx" ON "web_session" USING btree ("expires_at");