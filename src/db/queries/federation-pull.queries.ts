import { and, count, eq, inArray, isNotNull, lt, sql } from 'drizzle-orm';
import { anyOf } from './any-of';
import type { Executor } from '../client';
import { upsertAsJson } from './json-upsert';
import {
  federationCursors,
  federationExpiredTombstones,
  federationPeerKeys,
  federationPeers,
  federationQuarantine,
  federationRecords,
  type FederatedType,
} from '../schema';

export type PeerRow = typeof federationPeers.$inferSelect;
export type PeerKeyRow = typeof federationPeerKeys.$inferSelect;
export type CursorRow = typeof federationCursors.$inferSelect;
export type HeldRecordRow = typeof federationRecords.$inferSelect;
export type ExpiredTombstoneRow = typeof federationExpiredTombstones.$inferSelect;

export async function findPeer(db: Executor, peerId: string): Promise<PeerRow | null> {
  const [row] = await db.select().from(federationPeers).where(eq(federationPeers.id, peerId)).limit(1);
  return row ?? null;
}

/** Peers by hub id: the pinned keys and scopes of relay origins we also peer with. */
export async function peersByHubIds(db: Executor, hubIds: string[]): Promise<PeerRow[]> {
  if (hubIds.length === 0) return [];
  return db.select().from(federationPeers).where(inArray(federationPeers.hubId, hubIds));
}

/** Peers to pull on a schedule: pulling on, not paused, revoked or quarantined. */
export async function pullablePeers(db: Executor): Promise<PeerRow[]> {
  return db
    .select()
    .from(federationPeers)
    .where(and(eq(federationPeers.pullEnabled, true), inArray(federationPeers.status, ['active', 'degraded'])));
}

/** Keys that verify: pinned ones of these peers. */
export async function pinnedKeys(db: Executor, peerIds: string[]): Promise<PeerKeyRow[]> {
  if (peerIds.length === 0) return [];
  return db
    .select()
    .from(federationPeerKeys)
    .where(and(inArray(federationPeerKeys.peerId, peerIds), eq(federationPeerKeys.status, 'pinned')));
}

export async function findCursor(db: Executor, peerId: string): Promise<CursorRow | null> {
  const [row] = await db.select().from(federationCursors).where(eq(federationCursors.peerId, peerId)).limit(1);
  return row ?? null;
}

export async function saveCursor(db: Executor, values: typeof federationCursors.$inferInsert & { peerId: string }): Promise<void> {
  const { peerId: _peerId, ...changes } = values;
  await db
    .insert(federationCursors)
    .values(values)
    .onConflictDoUpdate({ target: federationCursors.peerId, set: { ...changes, updatedAt: new Date() } });
}

const HELD_STATE = {
  type: federationRecords.type,
  recordId: federationRecords.recordId,
  globalId: federationRecords.globalId,
  originHub: federationRecords.originHub,
  originVersion: federationRecords.originVersion,
  contentDigest: federationRecords.contentDigest,
  status: federationRecords.status,
};
export type HeldState = Pick<HeldRecordRow, keyof typeof HELD_STATE>;

/**
 * The federation rows we hold for these global ids, and for the uuids behind them (collisions).
 * Two index lookups rather than one OR of a condition per record: for a page of 1,000 records the
 * OR took 118 ms to plan and 488 ms to run on 100,000 held records, the two lookups 12 ms.
 * Only the state the decisions read: with `entry` and `origin_proof` (~4 KiB a record) reading
 * 1,000 records took 762 ms, without them 111 ms (psql, load 8).
 */
export async function heldRecords(db: Executor, query: { globalIds: string[]; recordIds: { type: FederatedType; id: string }[] }): Promise<HeldState[]> {
  const byGlobalId = query.globalIds.length > 0 ? await db.select(HELD_STATE).from(federationRecords).where(anyOf(federationRecords.globalId, query.globalIds, 'text')) : [];
  if (query.recordIds.length === 0) return byGlobalId;
  // Types and uuids never hold a comma: the pairs travel as two comma-separated lists, one parameter each.
  const types = query.recordIds.map((record) => record.type).join(',');
  const ids = query.recordIds.map((record) => record.id).join(',');
  const byRecord = await db
    .select(HELD_STATE)
    .from(federationRecords)
    .where(
      sql`(${federationRecords.type}, ${federationRecords.recordId}) IN (SELECT t, r FROM unnest(string_to_array(${types}, ','), string_to_array(${ids}, ',')::uuid[]) AS wanted(t, r))`,
    );
  const seen = new Set(byGlobalId.map((row) => `${row.type}:${row.recordId}`));
  return [...byGlobalId, ...byRecord.filter((row) => !seen.has(`${row.type}:${row.recordId}`))];
}

/** What expired tombstones left of these records (tombstone-expiry.ts): their origin and the version deleted. */
export async function expiredTombstones(db: Executor, globalIds: string[]): Promise<ExpiredTombstoneRow[]> {
  if (globalIds.length === 0) return [];
  return db.select().from(federationExpiredTombstones).where(anyOf(federationExpiredTombstones.globalId, globalIds, 'text'));
}

export async function upsertHeldRecord(db: Executor, values: typeof federationRecords.$inferInsert): Promise<void> {
  const { type: _type, recordId: _recordId, ...changes } = values;
  await db
    .insert(federationRecords)
    .values(values)
    .onConflictDoUpdate({ target: [federationRecords.type, federationRecords.recordId], set: changes });
}

/** The held records of a page in one statement (set-wise apply); no (type, record id) twice. */
export async function upsertHeldRecords(db: Executor, rows: (typeof federationRecords.$inferInsert)[]): Promise<void> {
  await upsertAsJson(db, federationRecords, rows, { target: ['type', 'recordId'] });
}

/** Marks records as confirmed by a snapshot now, without changing them (duplicates in a resync). */
export async function touchHeldRecords(db: Executor, globalIds: string[], at: Date): Promise<void> {
  if (globalIds.length > 0) await db.update(federationRecords).set({ receivedAt: at }).where(anyOf(federationRecords.globalId, globalIds, 'text'));
}

/** Active records received from this peer before `before`: what a completed snapshot did not confirm. */
export async function unconfirmedRecords(db: Executor, query: { peerHubId: string; before: Date }) {
  return db
    .select({ type: federationRecords.type, recordId: federationRecords.recordId, globalId: federationRecords.globalId, entry: federationRecords.entry })
    .from(federationRecords)
    .where(
      and(
        eq(federationRecords.receivedFrom, query.peerHubId),
        eq(federationRecords.status, 'active'),
        isNotNull(federationRecords.originHub),
        lt(federationRecords.receivedAt, query.before),
      ),
    );
}

export async function countActiveRecordsFrom(db: Executor, peerHubId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(federationRecords)
    .where(and(eq(federationRecords.receivedFrom, peerHubId), eq(federationRecords.status, 'active')));
  return row?.n ?? 0;
}

export async function insertQuarantine(db: Executor, rows: (typeof federationQuarantine.$inferInsert)[]): Promise<void> {
  if (rows.length > 0) await db.insert(federationQuarantine).values(rows);
}

/** Adds to a peer's counters after a page. */
export async function countPage(db: Executor, peerId: string, counts: { applied: number; skipped: number; quarantined: number }) {
  await db
    .update(federationPeers)
    .set({
      pagesPulled: sql`${federationPeers.pagesPulled} + 1`,
      entriesApplied: sql`${federationPeers.entriesApplied} + ${counts.applied}`,
      entriesSkipped: sql`${federationPeers.entriesSkipped} + ${counts.skipped}`,
      entriesQuarantined: sql`${federationPeers.entriesQuarantined} + ${counts.quarantined}`,
      updatedAt: new Date(),
    })
    .where(eq(federationPeers.id, peerId));
}

export async function setDeletesHeld(db: Executor, peerId: string, deletesHeld: number): Promise<void> {
  await db.update(federationPeers).set({ deletesHeld, updatedAt: new Date() }).where(eq(federationPeers.id, peerId));
}

/**
 * A pull pauses its peer (rollback, quarantine rate, refused signatures): only a peer still pulled.
 * An admin may have paused or revoked it while the pull ran, and a revoke is final: a pause
 * written over it could be resumed.
 */
export async function pausePulledPeer(db: Executor, peerId: string, reason: string): Promise<void> {
  await db
    .update(federationPeers)
    .set({ status: 'paused', statusReason: reason, updatedAt: new Date() })
    .where(and(eq(federationPeers.id, peerId), inArray(federationPeers.status, ['active', 'degraded'])));
}

/**
 * Why the peer is not pulled now, or null when it is. Its row stays locked until the transaction
 * ends (a page's apply, which writes the peer's counters later: the lock is taken at the strength
 * that write needs, so it is never upgraded while an admin's change waits).
 */
export async function peerNotPulled(db: Executor, peerId: string): Promise<string | null> {
  const [row] = await db
    .select({ status: federationPeers.status, pullEnabled: federationPeers.pullEnabled })
    .from(federationPeers)
    .where(eq(federationPeers.id, peerId))
    .for('no key update');
  if (!row) return 'no such peer';
  if (!row.pullEnabled) return 'peer is not pulled';
  return row.status === 'active' || row.status === 'degraded' ? null : `peer is ${row.status}`;
}

/** A successful pull: failures forgotten, a degraded peer active again (a paused one stays paused). */
export async function recordPullSuccess(db: Executor, peerId: string, at: Date): Promise<void> {
  await db
    .update(federationPeers)
    .set({
      lastSuccessAt: at,
      failureDays: sql`'{}'::date[]`,
      status: sql`case when ${federationPeers.status} = 'degraded' then 'active' else ${federationPeers.status} end`,
      updatedAt: at,
    })
    .where(eq(federationPeers.id, peerId));
}

/**
 * A failed pull: the day joins the distinct failure days, and after `degradeAfterDays` of them an
 * active peer becomes degraded (pulled less often). Returns the number of distinct days.
 */
export async function recordPullFailure(db: Executor, peerId: string, failure: { at: Date; error: string; degradeAfterDays: number }): Promise<number> {
  const day = failure.at.toISOString().slice(0, 10);
  const [row] = await db
    .update(federationPeers)
    .set({
      lastFailureAt: failure.at,
      lastError: failure.error.slice(0, 1000),
      failureDays: sql`(select coalesce(array_agg(distinct d order by d), '{}') from unnest(array_append(${federationPeers.failureDays}, ${day}::date)) d)`,
      updatedAt: failure.at,
    })
    .where(eq(federationPeers.id, peerId))
    .returning({ days: sql<number>`cardinality(${federationPeers.failureDays})` });
  const days = Number(row?.days ?? 0);
  if (days >= failure.degradeAfterDays) {
    await db
      .update(federationPeers)
      .set({ status: 'degraded', statusReason: `pulls failed on ${days} distinct days` })
      .where(and(eq(federationPeers.id, peerId), eq(federationPeers.status, 'active')));
  }
  return days;
}
