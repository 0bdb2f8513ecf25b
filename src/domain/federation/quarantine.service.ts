import { decideQuarantined, findQuarantined, listQuarantined } from '../../db/queries/federation-quarantine.queries';
import { NotFound } from '../../lib/errors';
import { refused } from '../../lib/refusals';
import type { Principal } from '../auth/principal';
import type { HubContext } from '../context';
import { peerFor } from './peers.service';
import { applyHeldDeletes, HELD_DELETE_REASON } from './snapshot.service';

/** Enough for an admin to read through; older held entries stay and show once these are decided. */
const LIST_LIMIT = 200;
const DECIDED_BY = 'admin';

/** A peer's held entries, newest first, with why each was held. */
export async function listQuarantine(principal: Principal | null, hub: HubContext, peerId: string) {
  const peer = await peerFor(principal, hub, peerId);
  const rows = await listQuarantined(hub.db, { peerId: peer.id, status: 'held', limit: LIST_LIMIT });
  return rows.map((row) => ({
    id: row.id,
    reason: row.reason,
    detail: row.detail,
    type: row.type,
    globalId: row.globalId,
    origin: row.origin,
    originVersion: row.originVersion,
    status: 'held' as const,
    createdAt: row.createdAt.toISOString(),
  }));
}

/** Discard: the entry is dropped for good; the next version from its origin is judged afresh. */
export async function discardQuarantined(principal: Principal | null, hub: HubContext, peerId: string, entryId: string) {
  const entry = await heldEntry(principal, hub, peerId, entryId);
  await decideQuarantined(hub.db, { id: entry.id, status: 'discarded', decidedBy: DECIDED_BY, at: new Date() });
  return { id: entry.id, status: 'discarded' as const };
}

/**
 * Release: what was held is applied. That is defined for the deletes a resync held back (a mass
 * delete is one decision, so the peer's whole held batch is applied). An entry held because it
 * failed a check (proof, authority, relay, equivocation) is never forced in: the admin fixes the
 * cause (pins the relay origin, widens the authority scope) and the next pull judges the origin's
 * entry again, or discards it.
 */
export async function releaseQuarantined(principal: Principal | null, hub: HubContext, peerId: string, entryId: string) {
  const entry = await heldEntry(principal, hub, peerId, entryId);
  if (entry.reason !== HELD_DELETE_REASON) {
    throw refused(409, 'federation.release_not_possible',
      `An entry held for "${entry.reason}" is not forced in: fix the cause (relay origins, authority scope, keys) and sync the peer, or discard it. / Ein so zurückgehaltener Eintrag wird nicht erzwungen: Ursache beheben und synchronisieren, oder verwerfen.`);
  }
  const released = await applyHeldDeletes(hub.db, { peerId, decidedBy: DECIDED_BY });
  return { id: entry.id, status: 'released' as const, deletesApplied: released };
}

async function heldEntry(principal: Principal | null, hub: HubContext, peerId: string, entryId: string) {
  const peer = await peerFor(principal, hub, peerId);
  const entry = await findQuarantined(hub.db, { peerId: peer.id, id: entryId });
  if (!entry) throw new NotFound('quarantined entry', entryId);
  if (entry.status !== 'held') throw refused(409, 'federation.quarantine_decided', `This entry was ${entry.status} already.`);
  return entry;
}
