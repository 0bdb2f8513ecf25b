import type { Db, Executor } from '../../db/client';
import { lockPeerForApply, mirrorRowExists, officialKeyHolder, removeMirrorRow, slugHeldByOther, upsertMirrorRow, type MirrorRow } from '../../db/queries/federation-mirror.queries';
import {
  countPage,
  findCursor,
  heldRecords,
  insertQuarantine,
  saveCursor,
  pausePulledPeer,
  peerNotPulled,
  touchHeldRecords,
  upsertHeldRecord,
  type CursorRow,
  type PeerRow,
} from '../../db/queries/federation-pull.queries';
import type { Decision, QuarantineReason } from './apply-decision';
import { applySetwise, setwiseApplicable } from './apply-setwise';
import type { ChangeEntry } from './change-entry';
import { hostSuffixed, mirrorRow, RecordShapeError, referencesOf, uuidOf } from './mirror-record';
import { decide, heldFor, heldRowOf, type PageEntry } from './page-decide';
import { heldValues, type Applied } from './page-write';
import { deferSearchDocuments } from '../../db/queries/search/pending.queries';
import { sqlState } from '../../lib/errors';
import type { KeyRing } from './peer-keyring';

/**
 * Applies one page of a peer in one transaction (design: "Applying a page"): its entries, the
 * quarantine of the bad ones, the peer's counters and the cursor commit together, so a crash
 * between apply and cursor cannot happen and a page is never applied twice.
 */

/** More than this share of a page quarantined pauses the peer: one bad entry is noise, a fifth is a peer gone wrong. */
export const QUARANTINE_PAUSE_SHARE = 0.2;

export type { PageEntry };
export type PageCounts = { applied: number; skipped: number; quarantined: number };
export type ApplyResult =
  | { outcome: 'applied'; counts: PageCounts; paused: string | null }
  /** Another pull of this peer moved the cursor since we read it: this page is not ours to apply. */
  | { outcome: 'raced' }
  /** The peer is no longer pulled (paused, revoked or not pulled since the pull began): nothing applied. */
  | { outcome: 'stopped'; reason: string }
  /** The page was not applied and the peer is paused (the reason says why). */
  | { outcome: 'paused'; reason: string };

/** Where a pull stands: the cursor and the snapshot in progress, compared before applying (optimistic). */
export function positionOf(cursor: CursorRow | null): string {
  return JSON.stringify([cursor?.cursor ?? null, cursor?.logEpoch ?? null, cursor?.snapshot ?? null]);
}

export type ApplyPageInput = {
  self: string;
  peer: PeerRow;
  keys: KeyRing;
  entries: PageEntry[];
  /** positionOf() of the cursor the page was asked for with. */
  expectedPosition: string;
  /** The cursor after this page. */
  next: { cursor: string | null; logEpoch: string | null; highWaterMark: number | null; snapshot: Record<string, unknown> | null; snapshotCompletedAt?: Date | null; etag?: string | null };
  /** A snapshot page: duplicates still count as confirmed (set difference after the last page). */
  snapshot?: boolean;
  now?: Date;
};

export async function applyPage(db: Db, input: ApplyPageInput): Promise<ApplyResult> {
  const now = input.now ?? new Date();
  return db.transaction(async (tx) => {
    await lockPeerForApply(tx, input.peer.id);
    // The pull read the peer when it started; an admin may have paused or revoked it since.
    const notPulled = await peerNotPulled(tx, input.peer.id);
    if (notPulled) return { outcome: 'stopped', reason: notPulled } as const;
    const current = await findCursor(tx, input.peer.id);
    if (positionOf(current) !== input.expectedPosition) return { outcome: 'raced' } as const;
    const known = current?.highWaterMark ?? null;
    if (input.next.highWaterMark !== null && known !== null && input.next.highWaterMark < known) {
      const reason = `federation.rollback: highWaterMark went back from ${known} to ${input.next.highWaterMark}`;
      await pausePulledPeer(tx, input.peer.id, reason);
      return { outcome: 'paused', reason } as const;
    }

    // A snapshot's software gets its search document after its reuses (search/queued-build.ts).
    if (input.snapshot) await deferSearchDocuments(tx);
    const decided = (setwiseApplicable(input.entries) ? await applySetwise(tx, input, input.entries, now) : null) ?? (await applyPerEntry(tx, input, now));
    const counts: PageCounts = { applied: 0, skipped: 0, quarantined: 0 };
    const quarantine: Parameters<typeof insertQuarantine>[1] = [];
    const confirmed: string[] = [];
    for (const [i, result] of decided.entries()) {
      if (result.action === 'quarantine') {
        counts.quarantined++;
        quarantine.push(quarantineRow(input.peer.id, result));
      } else if (result.action === 'skip') {
        counts.skipped++;
        if (input.snapshot && result.reason !== 'own-origin') confirmed.push(String((input.entries[i]!.value as ChangeEntry).id));
      } else {
        counts.applied++;
      }
    }
    await touchHeldRecords(tx, confirmed, now);
    await insertQuarantine(tx, quarantine);
    let paused: string | null = null;
    if (input.entries.length > 0 && counts.quarantined / input.entries.length > QUARANTINE_PAUSE_SHARE) {
      paused = `federation.quarantine-rate: ${counts.quarantined} of ${input.entries.length} entries of one page quarantined`;
      await pausePulledPeer(tx, input.peer.id, paused);
    }
    await saveCursor(tx, {
      peerId: input.peer.id,
      cursor: input.next.cursor,
      logEpoch: input.next.logEpoch,
      highWaterMark: input.next.highWaterMark === null ? known : Math.max(known ?? 0, input.next.highWaterMark),
      snapshot: input.next.snapshot,
      etag: input.next.etag ?? null,
      ...(input.next.snapshotCompletedAt !== undefined ? { snapshotCompletedAt: input.next.snapshotCompletedAt } : {}),
    });
    await countPage(tx, input.peer.id, counts);
    return { outcome: 'applied', counts, paused } as const;
  });
}

/** Entry by entry, each write in its own savepoint: the path for tombstones, ids twice in a page, and pages a set-wise write failed on. */
async function applyPerEntry(tx: Executor, input: ApplyPageInput, now: Date): Promise<Decision[]> {
  const held = await heldFor(tx, input.entries);
  const ownedByOrigin = async (globalId: string, origin: string) => {
    const [row] = await heldRecords(tx, { globalIds: [globalId], recordIds: [] });
    return row?.originHub === origin && row.status === 'active';
  };
  const results: Decision[] = [];
  for (const item of input.entries) {
    const decision = await decide(input, item, held, ownedByOrigin);
    const result = decision.action === 'quarantine' || decision.action === 'skip' ? decision : await act(tx, input, decision, held.get(decision.entry.id) != null, now);
    if (result.action !== 'quarantine' && result.action !== 'skip') held.set(result.entry.id, heldRowOf(result.entry, result.digest, result.action !== 'upsert', input.self));
    results.push(result);
  }
  return results;
}

type ActResult = Applied | Extract<Decision, { action: 'quarantine' }>;

/** Writes one decided entry in a savepoint: a row our tables refuse quarantines that entry, not the page. */
async function act(db: Executor, input: ApplyPageInput, decision: Applied, wasHeld: boolean, now: Date): Promise<ActResult> {
  const entry = decision.entry;
  const refuse = (reason: QuarantineReason, detail: string): ActResult => ({ action: 'quarantine', reason, detail, entry });
  try {
    return await db.transaction(async (savepoint) => {
      const recordId = uuidOf(entry.id, entry.type);
      if (decision.action === 'upsert') {
        const row = mirrorRow(entry);
        const missing = await missingReference(savepoint, row);
        if (missing) return refuse('entry.missing-reference', `${missing} is not held here`);
        const conflict = await naturalKeyConflict(savepoint, row);
        if (conflict) return refuse('entry.natural-key-conflict', conflict);
        // A row with this uuid that no federation state explains is a local record: never overwritten.
        if (!wasHeld && (await mirrorRowExists(savepoint, entry.type, recordId))) return refuse('entry.other-origin', `a local ${entry.type} has the id ${recordId}`);
        if ((row.type === 'organisation' || row.type === 'software') && (await slugHeldByOther(savepoint, row.type, row.values.slug, recordId))) {
          row.values.slug = hostSuffixed(row.values.slug, entry.origin);
        }
        await upsertMirrorRow(savepoint, row);
      } else {
        await removeMirrorRow(savepoint, entry.type, recordId);
      }
      await upsertHeldRecord(savepoint, heldValues(input.peer.hubId, decision, recordId, now));
      return decision;
    });
  } catch (error) {
    if (error instanceof RecordShapeError) return refuse('entry.schema-invalid', error.message);
    // A constraint of ours (a unique version per software, …) refused the row: this entry only.
    // drizzle wraps the driver's error (whose message names the constraint) in one that quotes the query.
    if (sqlState(error)) return refuse('entry.unappliable', ((error as Error).cause instanceof Error ? ((error as Error).cause as Error) : (error as Error)).message.slice(0, 500));
    throw error;
  }
}

/** The record a row points at, when we do not hold it (yet): a release of software we never received. */
async function missingReference(db: Executor, row: MirrorRow): Promise<string | null> {
  for (const [type, id] of referencesOf(row)) if (!(await mirrorRowExists(db, type, id))) return `${type} ${id}`;
  return null;
}

/** Two origins claiming one natural key: the incumbent stays, the challenger is quarantined (design). */
async function naturalKeyConflict(db: Executor, row: MirrorRow): Promise<string | null> {
  if (row.type !== 'organisation' || !row.values.officialKey) return null;
  const holder = await officialKeyHolder(db, row.values.officialKey, row.values.id);
  return holder ? `official key ${row.values.officialKey} is held by organisation ${holder}` : null;
}

function quarantineRow(peerId: string, decision: Extract<Decision, { action: 'quarantine' }>) {
  const entry = (typeof decision.entry === 'object' && decision.entry !== null ? decision.entry : {}) as Record<string, unknown>;
  const str = (value: unknown) => (typeof value === 'string' ? value.slice(0, 2048) : null);
  return {
    peerId,
    type: str(entry.type),
    globalId: str(entry.id),
    origin: str(entry.origin),
    originVersion: Number.isSafeInteger(entry.originVersion) ? (entry.originVersion as number) : null,
    reason: decision.reason,
    detail: decision.detail.slice(0, 1000),
    entry: decision.entry ?? null,
  };
}
