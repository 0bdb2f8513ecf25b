import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { removeMirrorRow } from '../../db/queries/federation-mirror.queries';
import {
  countActiveRecordsFrom,
  insertQuarantine,
  setDeletesHeld,
  unconfirmedRecords,
  type CursorRow,
} from '../../db/queries/federation-pull.queries';
import { federationQuarantine, federationRecords, type FederatedType } from '../../db/schema';
import { applyPage, positionOf } from './apply-page.service';
import { checkAhead } from './entry-checks';
import type { PeerAnswer } from './peer-client';
import { PeerFailure } from './peer-failure';
import type { PullContext, StepResult } from './pull.service';
import { changesPageLimit, sized, snapshotPageLimit } from './page';

/**
 * Bootstrap and resync by snapshot (design: endpoints, "Deletions by set difference"): every
 * current record of the peer, type by type in reference order (organisations before their
 * software, software before reuses and releases; reuses before releases, so the search documents
 * the snapshot queued can be built, with their final reuse counts, while releases arrive), keyset-paged, with progress in the cursor row
 * so a crash resumes where it stopped. `asOf`, fixed at the first page, is where the change feed
 * continues afterwards. Only a completed snapshot may delete what it did not list.
 */
export const SNAPSHOT_TYPES: readonly FederatedType[] = ['organisation', 'software', 'reuse', 'release'];
/** The last type a search document is made of: the documents a snapshot queued are built after it (migration 0024). */
const LAST_DOCUMENT_TYPE: FederatedType = 'reuse';

/** A run deleting more than max(50, 5 %) of a peer's records waits for an admin (design). */
export const MASS_DELETE_FLOOR = 50;
export const MASS_DELETE_SHARE = 0.05;
export const HELD_DELETE_REASON = 'snapshot.mass-delete-held';

type SnapshotState = { type: FederatedType; after: string | null; asOf: string | null; startedAt: string | null };

export async function snapshotStep(context: PullContext, cursor: CursorRow | null, expectedPosition = positionOf(cursor)): Promise<StepResult> {
  const stored = cursor?.snapshot as Partial<SnapshotState> | null | undefined;
  const state: SnapshotState = {
    type: SNAPSHOT_TYPES.includes(stored?.type as FederatedType) ? (stored!.type as FederatedType) : SNAPSHOT_TYPES[0]!,
    after: stored?.after ?? null,
    asOf: stored?.asOf ?? null,
    startedAt: stored?.startedAt ?? context.now().toISOString(),
  };
  // The page asked for while the previous one was applied, if it is this one (it is, unless a crash or another pull moved the cursor).
  const ahead = context.snapshotAhead;
  context.snapshotAhead = undefined;
  const answer = await (ahead?.key === pageKey(state) ? ahead.answer : fetchSnapshotPage(context, state));
  if (answer.status !== 200) throw new PeerFailure('unexpected-status', `the snapshot answered ${answer.status}`, { status: answer.status });
  const page = parseSnapshotPage(answer.body);
  const asOf = state.asOf ?? page.asOf;
  const typeIndex = SNAPSHOT_TYPES.indexOf(state.type);
  const lastType = typeIndex === SNAPSHOT_TYPES.length - 1;
  const done = !page.hasMore && lastType;
  const nextState: SnapshotState | null = page.hasMore
    ? { ...state, after: page.next, asOf }
    : lastType
      ? null
      : { type: SNAPSHOT_TYPES[typeIndex + 1]!, after: null, asOf, startedAt: state.startedAt };
  if (nextState) {
    // The next page travels while this one is applied: the peer's answer (bodies, proofs) and our
    // apply overlap instead of taking turns. Unused if this pull stops first, hence the catch.
    // Its entries are checked (schema, origin proofs) while this page is written (entry-checks.ts).
    const answer = fetchSnapshotPage(context, nextState).then(async (ahead) => {
      const entries = (ahead.body as { entries?: unknown } | null)?.entries;
      if (ahead.status === 200 && Array.isArray(entries)) await checkAhead(entries, (origin, method) => context.keys.originKey(origin, method)).catch(() => undefined);
      return ahead;
    });
    answer.catch(() => undefined);
    context.snapshotAhead = { key: pageKey(nextState), answer };
  }
  const result = await applyPage(context.hub.db, {
    self: context.self,
    peer: context.peer,
    keys: context.keys,
    entries: page.entries,
    expectedPosition,
    // The changes cursor moves to asOf only with the last page; until then the old one stays.
    next: {
      cursor: done ? asOf : (cursor?.cursor ?? null),
      logEpoch: done ? (page.logEpoch ?? cursor?.logEpoch ?? null) : (cursor?.logEpoch ?? null),
      highWaterMark: null,
      snapshot: nextState,
      ...(done ? { snapshotCompletedAt: context.now() } : {}),
    },
    snapshot: true,
    now: context.now(),
  });
  if (result.outcome === 'raced') return { kind: 'stopped', reason: 'another pull of this peer moved the cursor' };
  if (result.outcome === 'stopped' || result.outcome === 'paused') return { kind: 'stopped', reason: result.reason };
  if (done && !result.paused) await finishSnapshot(context.hub.db, { peerId: context.peer.id, peerHubId: context.peer.hubId, startedAt: new Date(state.startedAt!), now: context.now() });
  const documentsFinal = !nextState || SNAPSHOT_TYPES.indexOf(nextState.type) > SNAPSHOT_TYPES.indexOf(LAST_DOCUMENT_TYPE);
  return { kind: 'page', counts: result.counts, hasMore: !done, paused: result.paused, documentsFinal };
}

const pageKey = (state: Pick<SnapshotState, 'type' | 'after'>) => `${state.type} ${state.after ?? ''}`;

function fetchSnapshotPage(context: PullContext, state: Pick<SnapshotState, 'type' | 'after'>): Promise<PeerAnswer> {
  const fetchPage = (limit: number) => {
    const query = new URLSearchParams({ type: state.type, limit: String(limit) });
    if (state.after) query.set('after', state.after);
    return context.client.get(context.target, `/federation/v1/snapshot?${query}`, { signal: context.signal });
  };
  // A page of unusually large records over our byte cap: the same page again at the feed's size.
  return fetchPage(snapshotPageLimit(context.peer.descriptor)).catch((error: unknown) =>
    error instanceof PeerFailure && error.kind === 'too-large' ? fetchPage(changesPageLimit(context.peer.descriptor)) : Promise.reject(error),
  );
}

type SnapshotPage = { entries: ReturnType<typeof sized>; next: string | null; hasMore: boolean; asOf: string; logEpoch: string | null };

function parseSnapshotPage(body: unknown): SnapshotPage {
  const page = body as Record<string, unknown> | null;
  if (!page || !Array.isArray(page.entries) || typeof page.hasMore !== 'boolean' || typeof page.asOf !== 'string' || (page.hasMore && typeof page.next !== 'string')) {
    throw new PeerFailure('bad-page', 'the snapshot page lacks entries, hasMore, next or asOf');
  }
  return {
    entries: sized(page.entries),
    next: typeof page.next === 'string' ? page.next : null,
    hasMore: page.hasMore,
    asOf: page.asOf,
    logEpoch: typeof page.logEpoch === 'string' ? page.logEpoch : null,
  };
}

/**
 * Set difference after a completed snapshot: what we received from this peer and the snapshot did
 * not confirm is gone there. A few such records are tombstoned; more than max(50, 5 %) is more
 * likely a peer that lost data than one that deleted it, so they are held in quarantine
 * (`snapshot.mass-delete-held`) for an admin to release (applyHeldDeletes) or discard.
 */
export async function finishSnapshot(db: Db, input: { peerId: string; peerHubId: string; startedAt: Date; now: Date }): Promise<{ deleted: number; held: number }> {
  return db.transaction(async (tx) => {
    const gone = await unconfirmedRecords(tx, { peerHubId: input.peerHubId, before: input.startedAt });
    if (gone.length === 0) return { deleted: 0, held: 0 };
    const total = await countActiveRecordsFrom(tx, input.peerHubId);
    if (gone.length > Math.max(MASS_DELETE_FLOOR, MASS_DELETE_SHARE * total)) {
      await insertQuarantine(
        tx,
        gone.map((record) => ({
          peerId: input.peerId,
          type: record.type,
          globalId: record.globalId,
          origin: String(record.entry.origin ?? ''),
          originVersion: Number(record.entry.originVersion ?? 0),
          reason: HELD_DELETE_REASON,
          detail: `not in the snapshot of ${input.startedAt.toISOString()}; ${gone.length} of ${total} records would be deleted`,
          entry: { op: 'delete', type: record.type, id: record.globalId },
        })),
      );
      await setDeletesHeld(tx, input.peerId, gone.length);
      return { deleted: 0, held: gone.length };
    }
    for (const record of gone) await tombstone(tx, record.type, record.recordId, input.now);
    return { deleted: gone.length, held: 0 };
  });
}

async function tombstone(db: Parameters<Parameters<Db['transaction']>[0]>[0], type: FederatedType, recordId: string, at: Date) {
  await removeMirrorRow(db, type, recordId);
  await db
    .update(federationRecords)
    .set({ status: 'tombstoned', deletedAt: at })
    .where(and(eq(federationRecords.type, type), eq(federationRecords.recordId, recordId)));
}

/** An admin's release of the held deletes of a peer: they are applied now. */
export async function applyHeldDeletes(db: Db, input: { peerId: string; decidedBy: string; now?: Date }): Promise<number> {
  const now = input.now ?? new Date();
  return db.transaction(async (tx) => {
    const held = await tx
      .select()
      .from(federationQuarantine)
      .where(and(eq(federationQuarantine.peerId, input.peerId), eq(federationQuarantine.reason, HELD_DELETE_REASON), eq(federationQuarantine.status, 'held')));
    for (const row of held) {
      const [record] = await tx.select().from(federationRecords).where(eq(federationRecords.globalId, row.globalId ?? '')).limit(1);
      if (record?.status === 'active') await tombstone(tx, record.type, record.recordId, now);
    }
    await tx
      .update(federationQuarantine)
      .set({ status: 'released', decidedAt: now, decidedBy: input.decidedBy })
      .where(and(eq(federationQuarantine.peerId, input.peerId), eq(federationQuarantine.reason, HELD_DELETE_REASON), eq(federationQuarantine.status, 'held')));
    await setDeletesHeld(tx, input.peerId, 0);
    return held.length;
  });
}
