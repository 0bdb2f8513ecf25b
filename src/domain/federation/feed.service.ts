import { createHash } from 'node:crypto';
import {
  changesAfter,
  findFederationRecord,
  highWaterMark,
  logHead,
  logState,
  snapshotRow,
  snapshotRows,
  type SnapshotRow,
} from '../../db/queries/federation-log.queries';
import type { FederatedType } from '../../db/schema/federation';
import { AppError, NotFound } from '../../lib/errors';
import type { HubContext } from '../context';
import { hubDescriptor, hubId } from './descriptor';
import { decodeChangesCursor, decodeSnapshotToken, encodeChangesCursor, encodeSnapshotToken } from './feed-cursor';
import type { HubKeys } from './hub-keys';
import { signRecord } from './proof';

export type Entry = Record<string, unknown>;
/** 1,000 entries of a few KiB each stay within a peer's default 8 MiB page cap. */
export const MAX_PAGE_SIZE = 1000;
/** Tombstones are served at least this long (design: tombstoneRetentionDays). */
export const TOMBSTONE_RETENTION_DAYS = 90;

export class CursorExpired extends AppError {
  constructor(detail: string) {
    super(410, 'federation.cursor_expired', 'Gone', detail);
  }
}

/**
 * Our own entries are stored unsigned and signed as they are served, with proof.created =
 * originUpdatedAt: Ed25519 is deterministic, so an entry carries the same proof on every page,
 * in the snapshot and from records/. Relayed entries keep the proof their origin made.
 */
export function withProof(entry: Entry, keys: HubKeys, self: string): Entry {
  if (entry.proof || entry.origin !== self) return entry;
  const created = new Date(String(entry.originUpdatedAt));
  const proof = signRecord(entry, { privateKey: keys.active.privateKey, verificationMethod: `${self}/federation/v1/keys#${keys.active.kid}` }, created);
  return { ...entry, proof };
}

function keysOf(hub: HubContext): HubKeys {
  if (!hub.federationKeys) throw new Error('federation is off: the feed is not served');
  return hub.federationKeys;
}

export type ChangesPage = { entries: Entry[]; next: string; hasMore: boolean; highWaterMark: number; logEpoch: string; etag: string };

/** The state a changes request sees, before any entry is read: enough to answer 304 or 410. */
export async function changesHead(hub: HubContext, query: { since?: string; limit: number; types?: FederatedType[] }) {
  const state = await logHead(hub.db);
  const since = query.since ? decodeChangesCursor(query.since) : { epoch: state.epoch, seq: state.horizonSeq };
  if (since.epoch !== state.epoch) throw new CursorExpired('The cursor belongs to an earlier epoch of this log; resync by snapshot.');
  if (since.seq < state.horizonSeq) throw new CursorExpired('The cursor is older than the retention horizon of this log; resync by snapshot.');
  const { hwm } = state;
  // Same cursor, page size, types and high-water mark: the same page, byte for byte.
  const etag = `"${createHash('sha256').update(`${state.epoch}|${since.seq}|${query.limit}|${(query.types ?? []).join(',')}|${hwm}`).digest('base64url').slice(0, 22)}"`;
  return { epoch: state.epoch, since, hwm, etag };
}

export async function changesPage(hub: HubContext, head: Awaited<ReturnType<typeof changesHead>>, query: { limit: number; types?: FederatedType[] }): Promise<ChangesPage> {
  const keys = keysOf(hub);
  const self = hubId(hub.config);
  const rows = (await changesAfter(hub.db, { after: head.since.seq, limit: query.limit, types: query.types })).filter((row) => row.seq <= head.hwm);
  const last = rows.at(-1)?.seq ?? head.since.seq;
  return {
    entries: rows.map((row) => ({ ...withProof(row.entry, keys, self), seq: row.seq })),
    next: encodeChangesCursor({ epoch: head.epoch, seq: last }),
    hasMore: last < head.hwm && rows.length === query.limit,
    highWaterMark: head.hwm,
    logEpoch: head.epoch,
    etag: head.etag,
  };
}

/** An entry for a local record that has no federation state yet (last changed before federation was on): version 0. */
function initialEntry(self: string, type: FederatedType, row: SnapshotRow): Entry | null {
  if (!row.body) return null;
  return {
    op: 'upsert',
    type,
    id: `${self}/id/${type}/${row.recordId}`,
    origin: self,
    originVersion: 0,
    originUpdatedAt: row.updatedAt,
    schema: `transferhub.${type}/1`,
    via: [],
    record: row.body,
  };
}

export type SnapshotPage = { entries: Entry[]; next: string | null; hasMore: boolean; asOf: string; logEpoch: string };

export async function snapshotPage(hub: HubContext, query: { type: FederatedType; after?: string; limit: number }): Promise<SnapshotPage> {
  const keys = keysOf(hub);
  const self = hubId(hub.config);
  const state = await logState(hub.db);
  const token = query.after ? decodeSnapshotToken(query.after) : null;
  if (token && (token.epoch !== state.epoch || token.type !== query.type)) throw new CursorExpired('The snapshot token belongs to another epoch or type; start the snapshot again.');
  // asOf is fixed at page one: changes after it cover whatever moved while the pages were read.
  const asOf = token ? token.asOf : await highWaterMark(hub.db);
  const rows = await snapshotRows(hub.db, { type: query.type, hubId: self, after: token?.after ?? null, limit: query.limit });
  const entries: Entry[] = [];
  for (const row of rows) {
    const entry = row.entry ? (row.status === 'active' ? row.entry : null) : initialEntry(self, query.type, row);
    if (entry) entries.push(withProof(entry, keys, self));
  }
  const last = rows.at(-1);
  const hasMore = rows.length === query.limit;
  return {
    entries,
    next: hasMore && last ? encodeSnapshotToken({ epoch: state.epoch, asOf, type: query.type, after: last.recordId }) : null,
    hasMore,
    asOf: encodeChangesCursor({ epoch: state.epoch, seq: asOf }),
    logEpoch: state.epoch,
  };
}

export type RecordAnswer = { gone: boolean; entry: Entry; version: number };

/** records/{type}/{uuid}: the current entry, or the tombstone (gone). Quarantined records are not ours to serve. */
export async function recordEntry(hub: HubContext, query: { type: FederatedType; recordId: string }): Promise<RecordAnswer> {
  const keys = keysOf(hub);
  const self = hubId(hub.config);
  const state = await findFederationRecord(hub.db, query);
  if (state && state.status !== 'quarantined') {
    return { gone: state.status === 'tombstoned', entry: withProof(state.entry, keys, self), version: state.originVersion };
  }
  if (!state) {
    const row = await snapshotRow(hub.db, { ...query, hubId: self });
    const entry = row ? initialEntry(self, query.type, row) : null;
    if (entry) return { gone: false, entry: withProof(entry, keys, self), version: 0 };
  }
  throw new NotFound(query.type, query.recordId);
}

export async function describeHub(hub: HubContext) {
  const state = await logState(hub.db);
  return hubDescriptor(hub.config, { epoch: state.epoch, tombstoneRetentionDays: TOMBSTONE_RETENTION_DAYS, maxPageSize: MAX_PAGE_SIZE });
}
