import type { Executor } from '../../db/client';
import { heldRecords, type HeldState } from '../../db/queries/federation-pull.queries';
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
  const held: HeldMap = new Map();
  for (const id of ids) {
    const exact = byGlobalId.get(id.globalId);
    const collision = byRecord.get(`${id.type}:${id.uuid}`);
    held.set(id.globalId, exact ? fromRecord(exact) : collision ? { ...fromRecord(collision), origin: collision.originHub ?? `local:${collision.globalId}` } : null);
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
