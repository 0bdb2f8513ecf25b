import { and, asc, count, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../client';
import { preparedPerHandle } from './prepared';
import { federationCursors, federationPeerKeys, federationPeers, federationQuarantine } from '../schema';

export type PeerRow = typeof federationPeers.$inferSelect;
export type PeerInsert = typeof federationPeers.$inferInsert;
export type PeerKeyRow = typeof federationPeerKeys.$inferSelect;

/** The peer that pinned `kid` and its key, for verifying a request signed with it. */
const pinnedKeyStatement = preparedPerHandle((db) =>
  db
    .select({ peer: federationPeers, key: federationPeerKeys })
    .from(federationPeerKeys)
    .innerJoin(federationPeers, eq(federationPeers.id, federationPeerKeys.peerId))
    .where(and(eq(federationPeerKeys.kid, sql.placeholder('kid')), eq(federationPeerKeys.status, 'pinned')))
    .limit(1)
    .prepare('th_federation_pinned_key'),
);

export async function findPinnedKey(db: Executor, kid: string): Promise<{ peer: PeerRow; key: PeerKeyRow } | null> {
  const [row] = await pinnedKeyStatement(db).execute({ kid });
  return row ?? null;
}

export async function insertPeer(db: Executor, peer: PeerInsert, keys: Omit<typeof federationPeerKeys.$inferInsert, 'peerId'>[]): Promise<PeerRow> {
  const [row] = await db.insert(federationPeers).values(peer).returning();
  if (keys.length > 0) await db.insert(federationPeerKeys).values(keys.map((key) => ({ ...key, peerId: row!.id })));
  await db.insert(federationCursors).values({ peerId: row!.id });
  return row!;
}

export async function findPeer(db: Executor, by: { id: string } | { hubId: string }): Promise<PeerRow | null> {
  const [row] = await db
    .select()
    .from(federationPeers)
    .where('id' in by ? eq(federationPeers.id, by.id) : eq(federationPeers.hubId, by.hubId))
    .limit(1);
  return row ?? null;
}

export async function updatePeer(db: Executor, id: string, values: Partial<PeerInsert>): Promise<PeerRow | null> {
  const [row] = await db.update(federationPeers).set({ ...values, updatedAt: new Date() }).where(eq(federationPeers.id, id)).returning();
  return row ?? null;
}

export async function listPeerKeys(db: Executor, peerIds: string[]): Promise<PeerKeyRow[]> {
  if (peerIds.length === 0) return [];
  return db.select().from(federationPeerKeys).where(sql`${federationPeerKeys.peerId} = ANY(${sql.param(peerIds)}::uuid[])`).orderBy(asc(federationPeerKeys.createdAt));
}

/** Peers with their pull state and the count of held quarantine entries, for the admin list. */
export async function listPeersWithState(db: Executor) {
  const held = db
    .select({ peerId: federationQuarantine.peerId, held: count().as('held') })
    .from(federationQuarantine)
    .where(eq(federationQuarantine.status, 'held'))
    .groupBy(federationQuarantine.peerId)
    .as('held');
  return db
    .select({ peer: federationPeers, cursor: federationCursors, held: held.held })
    .from(federationPeers)
    .leftJoin(federationCursors, eq(federationCursors.peerId, federationPeers.id))
    .leftJoin(held, eq(held.peerId, federationPeers.id))
    .orderBy(asc(federationPeers.hubId));
}

/** Every peer's id and descriptor as stored when it was pinned (what it announced: tombstone retention, …). */
export async function peerDescriptors(db: Executor): Promise<Pick<PeerRow, 'hubId' | 'descriptor'>[]> {
  return db.select({ hubId: federationPeers.hubId, descriptor: federationPeers.descriptor }).from(federationPeers);
}

/** Peers that get a notify when our log moves on: every peer we still trust (not paused, not revoked). */
export async function notifiablePeers(db: Executor): Promise<Pick<PeerRow, 'id' | 'hubId' | 'baseUrl'>[]> {
  return db
    .select({ id: federationPeers.id, hubId: federationPeers.hubId, baseUrl: federationPeers.baseUrl })
    .from(federationPeers)
    .where(inArray(federationPeers.status, ['active', 'degraded']));
}
