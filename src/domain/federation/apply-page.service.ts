import type { Db, Executor } from '../../db/client';
import { lockPeerForApply, mirrorRowExists, officialKeyHolder, removeMirrorRow, slugHeldByOther, upsertMirrorRow } from '../../db/queries/federation-mirror.queries';
import {
  countPage,
  findCursor,
  heldRecords,
  insertQuarantine,
  saveCursor,
  setPeerStatus,
  touchHeldRecord,
  upsertHeldRecord,
  type CursorRow,
  type HeldRecordRow,
  type PeerRow,
} from '../../db/queries/federation-pull.queries';
import { decideEntry, type Decision, type HeldRow, type QuarantineReason } from './apply-decision';
import type { ChangeEntry } from './change-entry';
import { mirrorRow, RecordShapeError, uuidOf } from './mirror-record';
import type { KeyRing } from './peer-keyring';

/**
 * Applies one page of a peer in one transaction (design: "Applying a page"): its entries, the
 * quarantine of the bad ones, the peer's counters and the cursor commit together, so a crash
 * between apply and cursor cannot happen and a page is never applied twice.
 */

/** More than this share of a page quarantined pauses the peer: one bad entry is noise, a fifth is a peer gone wrong. */
export const QUARANTINE_PAUSE_SHARE = 0.2;

export type PageEntry = { value: unknown; size: number };
export type PageCounts = { applied: number; skipped: number; quarantined: number };
export type ApplyResult =
  | { outcome: 'applied'; counts: PageCounts; paused: string | null }
  /** Another pull of this peer moved the cursor since we read it: this page is not ours to apply. */
  | { outcome: 'raced' }
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
    const current = await findCursor(tx, input.peer.id);
    if (positionOf(current) !== input.expectedPosition) return { outcome: 'raced' } as const;
    const known = current?.highWaterMark ?? null;
    if (input.next.highWaterMark !== null && known !== null && input.next.highWaterMark < known) {
      const reason = `federation.rollback: highWaterMark went back from ${known} to ${input.next.highWaterMark}`;
      await setPeerStatus(tx, input.peer.id, 'paused', reason);
      return { outcome: 'paused', reason } as const;
    }

    const counts: PageCounts = { applied: 0, skipped: 0, quarantined: 0 };
    const quarantine: Parameters<typeof insertQuarantine>[1] = [];
    const held = await heldFor(tx, input.entries);
    for (const item of input.entries) {
      const decision = await decide(tx, input, item, held);
      const result = decision.action === 'quarantine' || decision.action === 'skip' ? decision : await act(tx, input, decision, held.get(decision.entry.id) != null, now);
      if (result.action === 'quarantine') {
        counts.quarantined++;
        quarantine.push(quarantineRow(input.peer.id, result));
      } else if (result.action === 'skip') {
        counts.skipped++;
        if (input.snapshot && result.reason !== 'own-origin') await touchHeldRecord(tx, String((item.value as ChangeEntry).id), now);
      } else {
        counts.applied++;
        held.set(result.entry.id, heldRowOf(result.entry, result.digest, result.action !== 'upsert', input.self));
      }
    }
    await insertQuarantine(tx, quarantine);
    let paused: string | null = null;
    if (input.entries.length > 0 && counts.quarantined / input.entries.length > QUARANTINE_PAUSE_SHARE) {
      paused = `federation.quarantine-rate: ${counts.quarantined} of ${input.entries.length} entries of one page quarantined`;
      await setPeerStatus(tx, input.peer.id, 'paused', paused);
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

type HeldMap = Map<string, HeldRow | null>;

function heldRowOf(entry: ChangeEntry, digest: string, deleted: boolean, self: string): HeldRow {
  return { origin: entry.origin ?? self, originVersion: entry.originVersion, digest, deleted };
}

function fromRecord(row: HeldRecordRow, self: string): HeldRow {
  return { origin: row.originHub ?? self, originVersion: row.originVersion, digest: row.contentDigest, deleted: row.status === 'tombstoned' };
}

/** The rows we hold for the page's ids, by global id; a uuid held under another global id counts as held from that origin. */
async function heldFor(db: Executor, entries: PageEntry[]): Promise<HeldMap> {
  const ids: { globalId: string; type: ChangeEntry['type']; uuid: string }[] = [];
  for (const { value } of entries) {
    const entry = value as Partial<ChangeEntry> | null;
    if (typeof entry?.id !== 'string' || typeof entry.type !== 'string') continue;
    try {
      ids.push({ globalId: entry.id, type: entry.type, uuid: uuidOf(entry.id, entry.type) });
    } catch {
      // Not an id of ours to look up: the decision quarantines the entry as schema-invalid.
    }
  }
  const rows = await heldRecords(db, { globalIds: ids.map((id) => id.globalId), recordIds: ids.map((id) => ({ type: id.type, id: id.uuid })) });
  const held: HeldMap = new Map();
  for (const id of ids) {
    const exact = rows.find((row) => row.globalId === id.globalId);
    const collision = rows.find((row) => row.type === id.type && row.recordId === id.uuid);
    held.set(id.globalId, exact ? fromRecord(exact, '') : collision ? { ...fromRecord(collision, ''), origin: collision.originHub ?? `local:${collision.globalId}` } : null);
  }
  return held;
}

async function decide(db: Executor, input: ApplyPageInput, item: PageEntry, held: HeldMap): Promise<Decision> {
  const entry = item.value as ChangeEntry;
  const authority = typeof entry?.id === 'string' ? await isAuthoritative(db, input, entry) : true;
  const decision = decideEntry({
    entry: item.value,
    size: item.size,
    self: input.self,
    peer: { hubId: input.peer.hubId, relayOrigins: input.peer.relayOrigins },
    isAuthoritative: () => authority,
    originKey: (origin, method) => input.keys.originKey(origin, method),
    held: held.get(entry?.id) ?? null,
  });
  if (decision.action !== 'quarantine' && decision.action !== 'skip' && !input.peer.acceptedTypes.includes(decision.entry.type)) {
    return { action: 'skip', reason: 'duplicate' };
  }
  return decision;
}

/**
 * Authority (design: Peers and authority): an organisation follows the hub whose scope covers its
 * official key (or names its id); software and reuse follow their organisation's hub, a release
 * its software's. "Follows" means we hold that record from the same origin, so a software of an
 * organisation we quarantined is not authoritative either.
 */
async function isAuthoritative(db: Executor, input: ApplyPageInput, entry: ChangeEntry): Promise<boolean> {
  if (entry.op !== 'upsert' || typeof entry.record !== 'object' || entry.record === null) return true;
  const scope = input.keys.scopeOf(entry.origin);
  const record = entry.record;
  const inScope = (organisationGlobalId: unknown) => {
    try {
      return typeof organisationGlobalId === 'string' && scope.organisationIds.includes(uuidOf(organisationGlobalId, 'organisation'));
    } catch {
      return false;
    }
  };
  const ownedByOrigin = async (globalId: unknown) => {
    if (typeof globalId !== 'string') return false;
    const [row] = await heldRecords(db, { globalIds: [globalId], recordIds: [] });
    return row?.originHub === entry.origin && row.status === 'active';
  };
  switch (entry.type) {
    case 'organisation': {
      const key = record.officialKey;
      // anyOrganisation still leaves an organisation held from another origin (or ours) alone: that is the "other origin" check.
      return scope.anyOrganisation === true || (typeof key === 'string' && scope.officialKeyPrefixes.some((prefix) => key.startsWith(prefix))) || inScope(entry.id);
    }
    case 'software':
      return inScope(record.organisation) || ownedByOrigin(record.organisation);
    case 'release':
      return ownedByOrigin(record.software);
    case 'reuse':
      return inScope(record.organisation) || ownedByOrigin(record.organisation);
    default:
      return false;
  }
}

type Applied = Extract<Decision, { action: 'upsert' | 'tombstone' | 'drop' }>;
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
          // Slugs are ours to give: a peer's slug taken here gets the origin's host appended.
          row.values.slug = `${row.values.slug}-${new URL(entry.origin).host.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`;
        }
        await upsertMirrorRow(savepoint, row);
      } else {
        await removeMirrorRow(savepoint, entry.type, recordId);
      }
      await upsertHeld(savepoint, input, decision, recordId, now);
      return decision;
    });
  } catch (error) {
    if (error instanceof RecordShapeError) return refuse('entry.schema-invalid', error.message);
    // A constraint of ours (a unique version per software, …) refused the row: this entry only.
    if (typeof (error as { code?: unknown }).code === 'string') return refuse('entry.unappliable', (error as Error).message.slice(0, 500));
    throw error;
  }
}

async function upsertHeld(db: Executor, input: ApplyPageInput, decision: Applied, recordId: string, now: Date) {
  const { seq: _seq, ...entry } = decision.entry;
  const via = entry.origin === input.peer.hubId ? (entry.via ?? []) : [...(entry.via ?? []), input.peer.hubId];
  const deleted = decision.action !== 'upsert';
  await upsertHeldRecord(db, {
    type: entry.type,
    recordId,
    globalId: entry.id,
    originHub: entry.origin,
    originVersion: entry.originVersion,
    originUpdatedAt: entry.originUpdatedAt && !Number.isNaN(Date.parse(entry.originUpdatedAt)) ? new Date(entry.originUpdatedAt) : now,
    receivedFrom: input.peer.hubId,
    receivedAt: now,
    via,
    contentDigest: decision.digest,
    originProof: entry.proof,
    entry: { ...entry, via },
    status: deleted ? 'tombstoned' : 'active',
    deletedAt: deleted ? (entry.deletedAt && !Number.isNaN(Date.parse(entry.deletedAt)) ? new Date(entry.deletedAt) : now) : null,
    staleSince: null,
  });
}

/** The record a row points at, when we do not hold it (yet): a release of software we never received. */
async function missingReference(db: Executor, row: ReturnType<typeof mirrorRow>): Promise<string | null> {
  const references: [ChangeEntry['type'], string][] = [];
  if (row.type === 'software') references.push(['organisation', row.values.organisationId]);
  if (row.type === 'release') references.push(['software', row.values.softwareId]);
  if (row.type === 'reuse') references.push(['software', row.values.softwareId], ['organisation', row.values.organisationId]);
  for (const [type, id] of references) if (!(await mirrorRowExists(db, type, id))) return `${type} ${id}`;
  return null;
}

/** Two origins claiming one natural key: the incumbent stays, the challenger is quarantined (design). */
async function naturalKeyConflict(db: Executor, row: ReturnType<typeof mirrorRow>): Promise<string | null> {
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
