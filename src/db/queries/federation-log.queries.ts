import { and, asc, eq, gt, inArray, isNotNull, max, sql } from 'drizzle-orm';
import type { Executor } from '../client';
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

export async function logState(db: Executor) {
  const [row] = await db.select().from(federationLogState).limit(1);
  if (!row) throw new Error('federation_log_state has no row (migration 0013 inserts it)');
  return row;
}

/** The highest committed seq: appends are serialised at commit, so no lower seq can still appear. */
export async function highWaterMark(db: Executor): Promise<number> {
  const [row] = await db.select({ seq: max(federationChangelog.seq) }).from(federationChangelog);
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

/** Mirrored records' provenance for a page of local ids (API responses). */
export async function provenanceOf(db: Executor, type: FederatedType, recordIds: string[]) {
  if (recordIds.length === 0) return [];
  return db
    .select({ recordId: federationRecords.recordId, originHub: federationRecords.originHub, receivedAt: federationRecords.receivedAt, globalId: federationRecords.globalId })
    .from(federationRecords)
    .where(and(eq(federationRecords.type, type), inArray(federationRecords.recordId, recordIds), isNotNull(federationRecords.originHub)));
}
