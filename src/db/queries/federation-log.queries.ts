import { and, asc, eq, gt, inArray, isNotNull, lt, max, sql } from 'drizzle-orm';
import type { Executor } from '../client';
import { preparedPerHandle } from './prepared';
import { federationChangelog, federationLogState, federationRecords, type FederatedType } from '../schema';

export type ChangelogRow = typeof federationChangelog.$inferSelect;
export type FederationRecordRow = typeof federationRecords.$inferSelect;

/**
 * Turns the change-log triggers on (a hub id) or off (null). Written only when it differs, so a
 * hub that never had federation does not write at all at start.
 */
export async function setFederationHub(db: Executor, hubId: string | null): Promise<void> {
  await db
    .update(federationLogState)
    .set({ hubId })
    .where(hubId === null ? isNotNull(federationLogState.hubId) : sql`${federationLogState.hubId} IS DISTINCT FROM ${hubId}`);
}

const logStateStatement = preparedPerHandle((db) => db.select().from(federationLogState).limit(1).prepare('th_federation_log_state'));

export async function logState(db: Executor) {
  const [row] = await logStateStatement(db).execute();
  if (!row) throw new Error('federation_log_state has no row (migration 0013 inserts it)');
  return row;
}

const logHeadStatement = preparedPerHandle((db) =>
  db
    .select({
      epoch: federationLogState.epoch,
      horizonSeq: federationLogState.horizonSeq,
      hwm: sql<number>`(SELECT coalesce(max(${federationChangelog.seq}), 0) FROM ${federationChangelog})`.mapWith(Number),
    })
    .from(federationLogState)
    .limit(1)
    .prepare('th_federation_log_head'),
);

/** logState's epoch and horizon with highWaterMark, in one statement: what every changes request reads first. */
export async function logHead(db: Executor): Promise<{ epoch: string; horizonSeq: number; hwm: number }> {
  const [row] = await logHeadStatement(db).execute();
  if (!row) throw new Error('federation_log_state has no row (migration 0013 inserts it)');
  return row;
}

const highWaterMarkStatement = preparedPerHandle((db) => db.select({ seq: max(federationChangelog.seq) }).from(federationChangelog).prepare('th_federation_high_water_mark'));

/** The highest committed seq: appends are serialised at commit, so no lower seq can still appear. */
export async function highWaterMark(db: Executor): Promise<number> {
  const [row] = await highWaterMarkStatement(db).execute();
  return row?.seq ?? 0;
}

export async function changesAfter(db: Executor, query: { after: number; limit: number; types?: FederatedType[] }): Promise<ChangelogRow[]> {
  const where = [gt(federationChangelog.seq, query.after)];
  if (query.types?.length) where.push(inArray(federationChangelog.type, query.types));
  return db.select().from(federationChangelog).where(and(...where)).orderBy(asc(federationChangelog.seq)).limit(query.limit);
}

export async function findFederationRecord(db: Executor, by: { type: FederatedType; recordId: string }): Promise<FederationRecordRow | null> {
  const [row] = await db
    .select()
    .from(federationRecords)
    .where(and(eq(federationRecords.type, by.type), eq(federationRecords.recordId, by.recordId)))
    .limit(1);
  return row ?? null;
}

const TABLES: Record<FederatedType, { table: string; updatedAt: string; where: string }> = {
  organisation: { table: 'organisation', updatedAt: 'updated_at', where: 'true' },
  software: { table: 'software', updatedAt: 'updated_at', where: 't.active' },
  release: { table: 'release', updatedAt: 'created_at', where: 'true' },
  reuse: { table: 'reuse', updatedAt: 'updated_at', where: 'true' },
};

export type SnapshotRow = {
  recordId: string;
  /** federation_record.entry when the record has federation state. */
  entry: Record<string, unknown> | null;
  status: string | null;
  /** The body built now, for a local record without federation state (changed before federation was on). */
  body: Record<string, unknown> | null;
  updatedAt: string;
};

/**
 * A keyset page of current records of one type (snapshot), by uuid. The bodies of records without
 * federation state come from one call of th_federation_bodies for the whole page (migration 0017).
 */
export async function snapshotRows(db: Executor, query: { type: FederatedType; hubId: string; after: string | null; limit: number }): Promise<SnapshotRow[]> {
  const { table, updatedAt, where } = TABLES[query.type];
  const result = await db.execute(sql`
    WITH page AS (
      SELECT t.id, t.${sql.raw(updatedAt)} AS at, f.entry, f.status
      FROM ${sql.raw(`public.${table}`)} t
      LEFT JOIN public.federation_record f ON f.type = ${query.type} AND f.record_id = t.id
      WHERE ${sql.raw(where)} AND (${query.after}::uuid IS NULL OR t.id > ${query.after}::uuid)
      ORDER BY t.id
      LIMIT ${query.limit}
    )
    SELECT p.id::text AS "recordId", p.entry, p.status, b.body, public.th_federation_iso(p.at) AS "updatedAt"
    FROM page p
    LEFT JOIN public.th_federation_bodies(${query.type}, ARRAY(SELECT id FROM page WHERE entry IS NULL), ${query.hubId}) b ON b.record_id = p.id
    ORDER BY p.id`);
  return (result as unknown as { rows: SnapshotRow[] }).rows;
}

/** Whether a local row of the type exists (records/{type}/{uuid} for a record without federation state). */
export async function snapshotRow(db: Executor, query: { type: FederatedType; hubId: string; recordId: string }): Promise<SnapshotRow | null> {
  const { table, updatedAt, where } = TABLES[query.type];
  const result = await db.execute(sql`
    SELECT t.id::text AS "recordId", NULL::jsonb AS entry, NULL::text AS status,
           public.th_federation_body(${query.type}, t.id, ${query.hubId}) AS body,
           public.th_federation_iso(t.${sql.raw(updatedAt)}) AS "updatedAt"
    FROM ${sql.raw(`public.${table}`)} t WHERE ${sql.raw(where)} AND t.id = ${query.recordId}::uuid`);
  return (result as unknown as { rows: SnapshotRow[] }).rows[0] ?? null;
}

/**
 * Compacts the change log as the design allows ("the log may compact to the latest entry per
 * record; tombstones stay at least tombstoneRetentionDays"): drops every entry a later entry of
 * the same record supersedes, then the tombstones (delete, scope-exit) written before
 * `tombstonesBefore`, and moves the horizon to the newest tombstone dropped. A cursor before the
 * horizon may have missed that deletion, so it is answered 410 and its peer resyncs by snapshot;
 * a cursor at or after it has missed nothing (superseded entries are followed by their successor).
 */
export async function compactChangeLog(db: Executor, input: { tombstonesBefore: Date }): Promise<{ superseded: number; expired: number; horizonSeq: number }> {
  return db.transaction(async (tx) => {
    const superseded = await tx
      .delete(federationChangelog)
      .where(sql`EXISTS (SELECT 1 FROM federation_changelog later WHERE later.id = ${federationChangelog.id} AND later.seq > ${federationChangelog.seq})`)
      .returning({ seq: federationChangelog.seq });
    const expired = await tx
      .delete(federationChangelog)
      .where(and(sql`${federationChangelog.op} <> 'upsert'`, lt(federationChangelog.createdAt, input.tombstonesBefore)))
      .returning({ seq: federationChangelog.seq });
    const newest = Math.max(0, ...expired.map((row) => row.seq));
    const [state] = await tx
      .update(federationLogState)
      .set({ horizonSeq: sql`greatest(${federationLogState.horizonSeq}, ${newest})` })
      .returning({ horizonSeq: federationLogState.horizonSeq });
    return { superseded: superseded.length, expired: expired.length, horizonSeq: state?.horizonSeq ?? newest };
  });
}

/**
 * Drops the received tombstones (federation_record rows of another origin, status tombstoned)
 * that are older than their origin's cutoff (`beforeByOrigin`, else `before`) and that no row of
 * ours stands for any more. The age counts from the later of received_at (an applied delete) and
 * deleted_at (a set-difference tombstone, written after the record was last received), both
 * our clock's except an origin's stated deletedAt, which can only make a tombstone stay longer.
 * A tombstone whose row we keep (deactivated software, an organisation) is never dropped: without
 * it the row would count as a local record (see log-compaction.service). A scan of
 * federation_record once a day: tombstones are a small share and the statement reads nothing else.
 * Each dropped tombstone leaves its global id and version in federation_expired_tombstone, in the
 * same statement (one statement is atomic without a transaction), so a stale upsert replayed after
 * it is still refused (page-decide heldFor).
 */
export async function expireReceivedTombstones(db: Executor, input: { before: Date; beforeByOrigin: { origin: string; before: Date }[] }): Promise<number> {
  const rowStands = sql.join(
    Object.entries(TABLES).map(([type, { table }]) => sql.raw(`WHEN '${type}' THEN EXISTS (SELECT 1 FROM public.${table} t WHERE t.id = fr.record_id)`)),
    sql` `,
  );
  const origins = input.beforeByOrigin.map((cutoff) => cutoff.origin);
  const cutoffs = input.beforeByOrigin.map((cutoff) => cutoff.before.toISOString());
  const result = await db.execute(sql`
    WITH expired AS (
      DELETE FROM public.federation_record fr
      WHERE fr.status = 'tombstoned' AND fr.origin_hub IS NOT NULL
        AND greatest(fr.received_at, fr.deleted_at) < coalesce(
          (SELECT o.before FROM unnest(${sql.param(origins)}::text[], ${sql.param(cutoffs)}::timestamptz[]) AS o(origin, before) WHERE o.origin = fr.origin_hub),
          ${input.before.toISOString()}::timestamptz)
        AND NOT (CASE fr.type ${rowStands} ELSE true END)
      RETURNING fr.global_id, fr.type, fr.origin_hub, fr.origin_version)
    INSERT INTO public.federation_expired_tombstone AS kept (global_id, type, origin_hub, origin_version)
    SELECT global_id, type, origin_hub, origin_version FROM expired
    ON CONFLICT (global_id) DO UPDATE SET origin_version = greatest(kept.origin_version, excluded.origin_version), origin_hub = excluded.origin_hub, expired_at = now()
    RETURNING kept.global_id`);
  return (result as unknown as { rows: unknown[] }).rows.length;
}
