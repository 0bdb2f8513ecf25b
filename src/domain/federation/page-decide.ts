import type { Executor } from '../../db/client';
import { expiredTombstones, heldRecords, type ExpiredTombstoneRow, type HeldState } from '../../db/queries/federation-pull.queries';
import { decideEntry, type Decision, type HeldRow } from './apply-decision';
import type { ChangeEntry } from './change-entry';
import { uuidOf } from './mirror-record';
import { isAuthoritative, type OwnedByOrigin } from './page-authority';
import type { KeyRing } from './peer-keyring';

/** The decisions of a page, shared by the per-entry and the set-wise applier (they differ only in how they read our tables). */

export type PageEntry = { value: unknown; size: number };
export type DecideContext = { self: string; peer: { hubId: string; relayOrigins: readonly string[]; acceptedTypes: readonly string[] }; keys: KeyRing };
export type HeldMap = Map<string, HeldRow | null>;

export function heldRowOf(entry: ChangeEntry, digest: string, deleted: boolean, self: string): HeldRow {
  return { origin: entry.origin ?? self, originVersion: entry.originVersion, digest, deleted };
}

function fromRecord(row: HeldState): HeldRow {
  return { origin: row.originHub ?? '', originVersion: row.originVersion, digest: row.contentDigest, deleted: row.status === 'tombstoned' };
}

/**
 * An expired tombstone still counts as a deleted row of its version: an upsert of that version
 * loses the tie, an older one is a replay, a newer one (the origin bringing the record back) applies.
 * No digest is kept, so a delete of that version replayed is skipped as the tie as well.
 */
function fromExpiredTombstone(row: ExpiredTombstoneRow): HeldRow {
  return { origin: row.originHub, originVersion: row.originVersion, digest: '', deleted: true };
}

/** The rows we hold for the page's ids, by global id; a uuid held under another global id counts as held from that origin. */
export async function heldFor(db: Executor, entries: PageEntry[]): Promise<HeldMap> {
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
  const byGlobalId = new Map(rows.map((row) => [row.globalId, row]));
  const byRecord = new Map(rows.map((row) => [`${row.type}:${row.recordId}`, row]));
  // After the federation_record rows, not beside them: a transaction is one connection.
  const unheld = ids.filter((id) => !byGlobalId.has(id.globalId) && !byRecord.has(`${id.type}:${id.uuid}`)).map((id) => id.globalId);
  const expired = new Map((await expiredTombstones(db, unheld)).map((row) => [row.globalId, row]));
  const held: HeldMap = new Map();
  for (const id of ids) {
    const exact = byGlobalId.get(id.globalId);
    const collision = byRecord.get(`${id.type}:${id.uuid}`);
    const tombstone = expired.get(id.globalId);
    held.set(
      id.globalId,
      exact
        ? fromRecord(exact)
        : collision
          ? { ...fromRecord(collision), origin: collision.originHub ?? `local:${collision.globalId}` }
          : tombstone
            ? fromExpiredTombstone(tombstone)
            : null,
    );
  }
  return held;
}

export async function decide(context: DecideContext, item: PageEntry, held: HeldMap, ownedByOrigin: OwnedByOrigin): Promise<Decision> {
  const entry = item.value as ChangeEntry;
  const authority = typeof entry?.id === 'string' ? await isAuthoritative(context.keys, entry, ownedByOrigin) : true;
  const decision = decideEntry({
    entry: item.value,
    size: item.size,
    self: context.self,
    peer: { hubId: context.peer.hubId, relayOrigins: context.peer.relayOrigins },
    isAuthoritative: () => authority,
    originKey: (origin, method) => context.keys.originKey(origin, method),
    held: held.get(entry?.id) ?? null,
  });
  if (decision.action !== 'quarantine' && decision.action !== 'skip' && !context.peer.acceptedTypes.includes(decision.entry.type)) {
    return { action: 'skip', reason: 'duplicate' };
  }
  return decision;
}
