import { expireReceivedTombstones } from '../../db/queries/federation-log.queries';
import { peerDescriptors } from '../../db/queries/federation-peers.queries';
import type { HubContext } from '../context';
import { announcedCount } from './descriptor';
import { TOMBSTONE_RETENTION_DAYS } from './feed.service';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The instant `days` days before `now`: retention is counted in days, on our clock. */
export const daysBefore = (now: Date, days: number) => new Date(now.getTime() - days * DAY_MS);

/**
 * The longest retention an origin may announce that we honour: ten years is longer than any peer
 * stays out of sync, and a descriptor stating more (or a mistake) cannot keep its tombstones here
 * for ever, nor overflow a date.
 */
export const MAX_ANNOUNCED_RETENTION_DAYS = 3650;

/** A descriptor's `tombstoneRetentionDays` if it is a whole number of days we honour, else null. */
export function announcedRetentionDays(descriptor: Record<string, unknown> | null | undefined): number | null {
  return announcedCount(descriptor, 'tombstoneRetentionDays', MAX_ANNOUNCED_RETENTION_DAYS);
}

/**
 * How long we keep a tombstone received for a record of `origin`: the longer of our own retention
 * and the one the origin announces. The origin's, because it is how long its log serves the delete:
 * until then a peer or relay that has not seen it yet may still send us the record's older upserts,
 * and only the tombstone refuses them (after it, a peer that missed the delete gets 410 and
 * resyncs from a snapshot without the record). Ours, because we relay the tombstone in our own log
 * for that long, and a hub pulling us may hold the old upsert until it reads it there.
 */
export function receivedTombstoneRetentionDays(announced: number | null): number {
  return Math.max(TOMBSTONE_RETENTION_DAYS, announced ?? 0);
}

/**
 * Expires the received tombstones past their retention (part of the daily compact-federation-log
 * job; a GET never writes). Only those no row of ours stands for any more: a release or reuse
 * record the tombstone removed. Deactivated software and organisations keep their row (links,
 * their releases and reuse records still point at them, as at their origin, which keeps its own
 * tombstone for as long), and with it their federation state: without a federation_record row a
 * row counts as local (shown as local, editable here, re-exported by our triggers as our record),
 * and its origin re-creating it at a higher version would be quarantined as entry.other-origin.
 */
export async function expireTombstones(hub: HubContext, now: Date): Promise<number> {
  const beforeByOrigin = (await peerDescriptors(hub.db)).map((peer) => ({ origin: peer.hubId, before: daysBefore(now, receivedTombstoneRetentionDays(announcedRetentionDays(peer.descriptor))) }));
  return expireReceivedTombstones(hub.db, { before: daysBefore(now, receivedTombstoneRetentionDays(null)), beforeByOrigin });
}
