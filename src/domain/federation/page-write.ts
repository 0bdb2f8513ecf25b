import type { Executor } from '../../db/client';
import { upsertMirrorRows, type MirrorRow } from '../../db/queries/federation-mirror.queries';
import { upsertHeldRecords, type HeldRecordRow } from '../../db/queries/federation-pull.queries';
import type { Decision } from './apply-decision';

/** Writing decided entries: the held record of each (both appliers), and a page's rows set-wise. */

export type Applied = Extract<Decision, { action: 'upsert' | 'tombstone' | 'drop' }>;
export type PlannedWrite = { decision: Applied; row: MirrorRow };
type HeldValues = Omit<HeldRecordRow, 'localOverlay'>;

/** The federation_record row of an applied entry: its state here, with this hop added to `via`. */
export function heldValues(peerHubId: string, decision: Applied, recordId: string, now: Date): HeldValues {
  const { seq: _seq, ...entry } = decision.entry;
  const via = entry.origin === peerHubId ? (entry.via ?? []) : [...(entry.via ?? []), peerHubId];
  const deleted = decision.action !== 'upsert';
  const time = (value: string | undefined) => (value && !Number.isNaN(Date.parse(value)) ? new Date(value) : now);
  return {
    type: entry.type,
    recordId,
    globalId: entry.id,
    originHub: entry.origin,
    originVersion: entry.originVersion,
    originUpdatedAt: time(entry.originUpdatedAt),
    receivedFrom: peerHubId,
    receivedAt: now,
    via,
    contentDigest: decision.digest,
    originProof: entry.proof,
    entry: { ...entry, via },
    status: deleted ? 'tombstoned' : 'active',
    deletedAt: deleted ? time(entry.deletedAt) : null,
    staleSince: null,
  };
}

const REFERENCE_ORDER = ['organisation', 'software', 'release', 'reuse'] as const;

/**
 * A page's upserts as one multi-row upsert per type, in reference order (a software's
 * organisation is written before it, whichever came first in the page), then one for all their
 * held records. A constraint violation fails the whole write; the caller rolls it back and applies
 * the page entry by entry, which finds the one row at fault.
 */
export async function writePlanned(db: Executor, peerHubId: string, writes: PlannedWrite[], now: Date): Promise<void> {
  for (const type of REFERENCE_ORDER) {
    const rows = writes.filter((write) => write.row.type === type).map((write) => write.row.values);
    await upsertMirrorRows(db, type, rows as never);
  }
  await upsertHeldRecords(
    db,
    writes.map((write) => heldValues(peerHubId, write.decision, write.row.values.id, now)),
  );
}
