import { and, desc, eq } from 'drizzle-orm';
import type { Executor } from '../client';
import { federationQuarantine, type QuarantineStatus } from '../schema/federation';

/** The admin list (federation_quarantine_peer_idx): a peer's entries in one status, newest first. */
export async function listQuarantined(db: Executor, input: { peerId: string; status: QuarantineStatus; limit: number }) {
  return db
    .select()
    .from(federationQuarantine)
    .where(and(eq(federationQuarantine.peerId, input.peerId), eq(federationQuarantine.status, input.status)))
    .orderBy(desc(federationQuarantine.createdAt))
    .limit(input.limit);
}

export async function findQuarantined(db: Executor, input: { peerId: string; id: string }) {
  const [row] = await db
    .select()
    .from(federationQuarantine)
    .where(and(eq(federationQuarantine.peerId, input.peerId), eq(federationQuarantine.id, input.id)))
    .limit(1);
  return row ?? null;
}

/** An admin's decision on one held entry; false when it was decided already (by someone else meanwhile). */
export async function decideQuarantined(db: Executor, input: { id: string; status: Exclude<QuarantineStatus, 'held'>; decidedBy: string; at: Date }) {
  const rows = await db
    .update(federationQuarantine)
    .set({ status: input.status, decidedAt: input.at, decidedBy: input.decidedBy })
    .where(and(eq(federationQuarantine.id, input.id), eq(federationQuarantine.status, 'held')))
    .returning({ id: federationQuarantine.id });
  return rows.length > 0;
}
