-- hand-written
-- What a received tombstone leaves behind when the daily compaction expires it
-- (expireReceivedTombstones moves the row here in the same statement): the record's global id and
-- the version its origin deleted it at. Without it, a lagging relay or peer replaying an upsert of
-- that version or an older one was applied as a new record and brought the deleted record back.
-- One small row per expired tombstone (no entry, no proof), kept: a replay can come at any time.
CREATE TABLE "federation_expired_tombstone" (
	"global_id" text PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"origin_hub" text NOT NULL,
	"origin_version" bigint NOT NULL,
	"expired_at" timestamp with time zone DEFAULT now() NOT NULL
);
-- The primary key serves the only read: heldFor's lookup by global id of a page's ids without a federation_record row.
