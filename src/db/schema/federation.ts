import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, date, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * The hub's Ed25519 signing keys in server mode (embedded mode keeps them in a 0600 file in the
 * data folder). The private key is stored as is (PKCS #8 PEM), not encrypted: a key from the
 * environment would sit in the same deployment secrets as DATABASE_URL, would have to travel with
 * every `transferhub backup`, and its loss would lose the hub's identity towards all peers. Who can
 * read this table can already rewrite the catalogue; a leaked key is answered by rotation and by
 * peers unpinning the thumbprint.
 */
export const federationKeys = pgTable('federation_key', {
  /** RFC 7638 JWK thumbprint (SHA-256, base64url) of the public key. */
  kid: text('kid').primaryKey(),
  /** The public JWK as served in the JWKS (kty OKP, crv Ed25519, x). */
  publicJwk: jsonb('public_jwk').$type<{ kty: string; crv: string; x: string }>().notNull(),
  privateKeyPem: text('private_key_pem').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  /** Set when a newer key took over signing; the key stays listed (with exp) so old proofs verify. */
  retiredAt: timestamp('retired_at', { withTimezone: true }),
});

export const FEDERATED_TYPES = ['organisation', 'software', 'release', 'reuse'] as const;
export type FederatedType = (typeof FEDERATED_TYPES)[number];
export const CHANGE_OPS = ['upsert', 'delete', 'scope-exit'] as const;
export type ChangeOp = (typeof CHANGE_OPS)[number];
/** active: current; tombstoned: deleted at its origin (kept for tombstoneRetentionDays); quarantined: held, not shown. */
export const FEDERATED_RECORD_STATUSES = ['active', 'tombstoned', 'quarantined'] as const;
export type FederatedRecordStatus = (typeof FEDERATED_RECORD_STATUSES)[number];

/**
 * One row of the hub's federation state (id is always true): the log's epoch (a cursor of another
 * epoch is 410), the retention horizon (a cursor below it is 410), and the hub id the change-log
 * triggers mint record ids with. `hubId` is written at every start from the configuration and is
 * null when federation is off: the triggers then return at once, so a hub without federation
 * writes no log and no per-record state.
 */
export const federationLogState = pgTable('federation_log_state', {
  id: boolean('id').primaryKey().default(true),
  hubId: text('hub_id'),
  epoch: uuid('epoch').notNull().default(sql`gen_random_uuid()`),
  /** The lowest seq still served; older cursors are 410 cursor-expired (log compaction moves it). */
  horizonSeq: bigint('horizon_seq', { mode: 'number' }).notNull().default(0),
});

/**
 * Federation state per record, one table for all four types rather than eleven columns on each of
 * organisation, software, release and reuse: a hub without federation has no rows here and its
 * tables and queries stay as they are; a tombstone outlives the row it stands for (a deleted
 * release); and the feed, the snapshot and the applier read one table. A local record gets its
 * row at its first change with federation on (originHub null); a mirrored record when a peer's
 * entry is applied. The local row's id is the record's uuid, also for mirrored records (the uuid
 * of the origin's id URI), so references between records need no mapping.
 */
export const federationRecords = pgTable(
  'federation_record',
  {
    type: text('type').$type<FederatedType>().notNull(),
    /** The uuid of the record: its row id in organisation/software/release/reuse. */
    recordId: uuid('record_id').notNull(),
    /** `{origin hub}/id/{type}/{uuid}`, minted by the origin, never re-minted on relay. */
    globalId: text('global_id').notNull().unique(),
    /** null: this hub is the origin; otherwise the origin hub's id (its base URL). */
    originHub: text('origin_hub'),
    /** Per-record counter at the origin; order comes from it, never from clocks. */
    originVersion: bigint('origin_version', { mode: 'number' }).notNull(),
    originUpdatedAt: timestamp('origin_updated_at', { withTimezone: true }).notNull(),
    /** The peer hub id we received the latest entry from (null: local). */
    receivedFrom: text('received_from'),
    receivedAt: timestamp('received_at', { withTimezone: true }),
    /** Relay path of the latest entry as received (hub ids, origin first); [] for local and direct. */
    via: jsonb('via').$type<string[]>().notNull().default([]),
    /** sha-256 (hex) of the record's canonical form: JCS for received entries, jsonb text for local ones (change detection). */
    contentDigest: text('content_digest').notNull(),
    /** The origin's proof (eddsa-jcs-2022) as received; null for local records (signed when served). */
    originProof: jsonb('origin_proof').$type<Record<string, unknown>>(),
    /** The latest entry as served (without seq; with proof when received): snapshot and records/{type}/{uuid} answer it. */
    entry: jsonb('entry').$type<Record<string, unknown>>().notNull(),
    status: text('status').$type<FederatedRecordStatus>().notNull().default('active'),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
    /** An unreachable peer's records stay; this says since when they were not confirmed. */
    staleSince: timestamp('stale_since', { withTimezone: true }),
    /** Local curation of a mirrored record (never re-exported as origin data). */
    localOverlay: jsonb('local_overlay').$type<Record<string, unknown>>(),
  },
  (t) => [
    primaryKey({ columns: [t.type, t.recordId] }),
    // origin=<hub> filters and per-peer set difference after a snapshot.
    index('federation_record_origin_idx').on(t.originHub, t.type),
  ],
);

/**
 * What an expired received tombstone leaves (tombstone-expiry.ts): the version its origin deleted
 * the record at, so that an upsert of that version or an older one, replayed by a lagging relay or
 * peer after the federation_record row went, is still skipped (tombstones win ties, a lower version
 * is a replay). Per record, not per origin: versions are per-record counters, and a horizon per
 * origin could only be a time, which the design never orders by. A few dozen bytes per record, kept.
 */
export const federationExpiredTombstones = pgTable('federation_expired_tombstone', {
  /** The record's global id, as in federation_record.global_id. */
  globalId: text('global_id').primaryKey(),
  type: text('type').$type<FederatedType>().notNull(),
  originHub: text('origin_hub').notNull(),
  /** The tombstone's origin version: the highest we saw of the record. */
  originVersion: bigint('origin_version', { mode: 'number' }).notNull(),
  expiredAt: timestamp('expired_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * The transactional outbox (design: The change log). Local rows are appended by deferred triggers
 * on organisation/software/release/reuse at commit, received rows by a trigger on
 * federation_record; both under one commit-time lock so seq order is commit order.
 */
export const federationChangelog = pgTable(
  'federation_changelog',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    type: text('type').$type<FederatedType>().notNull(),
    /** Global id URI of the record. */
    id: text('id').notNull(),
    /** Origin hub id (for local entries: this hub's id). */
    origin: text('origin').notNull(),
    originVersion: bigint('origin_version', { mode: 'number' }).notNull(),
    op: text('op').$type<ChangeOp>().notNull(),
    /** The entry as served, without seq (added when served) and, for local entries, without proof (signed when served). */
    entry: jsonb('entry').$type<Record<string, unknown>>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // GET /federation/v1/changes?types=…: seq order within the requested types.
    index('federation_changelog_type_seq_idx').on(t.type, t.seq),
    // Compaction keeps the latest entry per record.
    index('federation_changelog_id_idx').on(t.id, t.seq),
  ],
);

export const PEER_STATUSES = ['active', 'degraded', 'paused', 'quarantined', 'revoked'] as const;
export type PeerStatus = (typeof PEER_STATUSES)[number];

/** What a peer may be origin for (design: Peers and authority); empty lists: nothing. */
/**
 * The organisations a peer may be origin for: official-key prefixes ("09": Bavaria), organisation
 * ids, or any organisation (`anyOrganisation`: a state hub's whole catalogue for a national hub).
 * Either way a record another origin (or this hub) holds stays theirs.
 */
export type AuthorityScope = { officialKeyPrefixes: string[]; organisationIds: string[]; anyOrganisation?: boolean };

export const federationPeers = pgTable('federation_peer', {
  id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
  /** The peer's id as its descriptor states it (its public base URL). */
  hubId: text('hub_id').notNull().unique(),
  baseUrl: text('base_url').notNull(),
  name: text('name'),
  /** The descriptor as fetched when the peer was added or last refreshed. */
  descriptor: jsonb('descriptor').$type<Record<string, unknown>>(),
  pullEnabled: boolean('pull_enabled').notNull().default(true),
  /** 300 s: a notify makes changes arrive within seconds; the schedule is the fallback. */
  pullIntervalSeconds: integer('pull_interval_seconds').notNull().default(300),
  /** May this peer pull from us (changes, snapshot, records, notify)? */
  serveEnabled: boolean('serve_enabled').notNull().default(true),
  /** Types we accept from this peer. */
  acceptedTypes: text('accepted_types').array().$type<FederatedType[]>().notNull().default(sql`'{organisation,software,release,reuse}'::text[]`),
  /** Types this peer may pull from us. */
  servedTypes: text('served_types').array().$type<FederatedType[]>().notNull().default(sql`'{organisation,software,release,reuse}'::text[]`),
  authorityScope: jsonb('authority_scope').$type<AuthorityScope>().notNull().default({ officialKeyPrefixes: [], organisationIds: [] }),
  /** Origin hub ids this peer may forward records of (default none). */
  relayOrigins: text('relay_origins').array().notNull().default(sql`'{}'::text[]`),
  /** 8 MiB per page: 1,000 entries of a few KiB with room; a bigger answer is aborted. */
  maxPageBytes: integer('max_page_bytes').notNull().default(8 * 1024 * 1024),
  /** Requests per minute this peer may send us. */
  rateLimitPerMinute: integer('rate_limit_per_minute').notNull().default(120),
  status: text('status').$type<PeerStatus>().notNull().default('active'),
  statusReason: text('status_reason'),
  lastSuccessAt: timestamp('last_success_at', { withTimezone: true }),
  lastFailureAt: timestamp('last_failure_at', { withTimezone: true }),
  lastError: text('last_error'),
  /** Distinct UTC days with a failed pull since the last success (degraded after several). */
  failureDays: date('failure_days', { mode: 'string' }).array().notNull().default(sql`'{}'::date[]`),
  /** Counters for the admin view. */
  pagesPulled: bigint('pages_pulled', { mode: 'number' }).notNull().default(0),
  entriesApplied: bigint('entries_applied', { mode: 'number' }).notNull().default(0),
  entriesSkipped: bigint('entries_skipped', { mode: 'number' }).notNull().default(0),
  entriesQuarantined: bigint('entries_quarantined', { mode: 'number' }).notNull().default(0),
  deletesHeld: bigint('deletes_held', { mode: 'number' }).notNull().default(0),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const PEER_KEY_STATUSES = ['pinned', 'pending', 'revoked'] as const;
export type PeerKeyStatus = (typeof PEER_KEY_STATUSES)[number];

/** A peer's keys: only `pinned` ones verify anything; `pending` waits for an admin. */
export const federationPeerKeys = pgTable(
  'federation_peer_key',
  {
    peerId: uuid('peer_id').notNull().references(() => federationPeers.id, { onDelete: 'cascade' }),
    /** RFC 7638 thumbprint, as the peer's JWKS names it (and as we recompute it). */
    kid: text('kid').notNull(),
    publicJwk: jsonb('public_jwk').$type<{ kty: string; crv: string; x: string }>().notNull(),
    status: text('status').$type<PeerKeyStatus>().notNull().default('pinned'),
    /** The JWKS `exp` of a retired key: it verifies signatures created before it. */
    notAfter: timestamp('not_after', { withTimezone: true }),
    pinnedAt: timestamp('pinned_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.peerId, t.kid] })],
);

/** Where pulling a peer stands; written in the same transaction as the entries of a page. */
export const federationCursors = pgTable('federation_cursor', {
  peerId: uuid('peer_id').primaryKey().references(() => federationPeers.id, { onDelete: 'cascade' }),
  /** The peer's opaque `next` cursor; null: never pulled (bootstrap by snapshot). */
  cursor: text('cursor'),
  logEpoch: text('log_epoch'),
  /** The highest highWaterMark seen: one going backwards pauses the peer. */
  highWaterMark: bigint('high_water_mark', { mode: 'number' }),
  /** A snapshot in progress: { type, after, asOf }; null when none. */
  snapshot: jsonb('snapshot').$type<Record<string, unknown>>(),
  snapshotCompletedAt: timestamp('snapshot_completed_at', { withTimezone: true }),
  /** The ETag of the last changes page read at this cursor: sent as If-None-Match, so an idle pull is a 304. */
  etag: text('etag'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const QUARANTINE_STATUSES = ['held', 'released', 'discarded'] as const;
export type QuarantineStatus = (typeof QUARANTINE_STATUSES)[number];

export const federationQuarantine = pgTable(
  'federation_quarantine',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    peerId: uuid('peer_id').notNull().references(() => federationPeers.id, { onDelete: 'cascade' }),
    /** From the entry, when it had them (a schema-invalid entry may not). */
    type: text('type'),
    globalId: text('global_id'),
    origin: text('origin'),
    originVersion: bigint('origin_version', { mode: 'number' }),
    /** Stable code: entry.schema-invalid, entry.oversize, entry.origin-not-allowed, entry.not-authoritative, entry.proof-invalid, entry.other-origin, entry.equivocation, … */
    reason: text('reason').notNull(),
    detail: text('detail'),
    /** The entry as received (size-capped before it gets here). */
    entry: jsonb('entry').notNull(),
    status: text('status').$type<QuarantineStatus>().notNull().default('held'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    decidedBy: text('decided_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  // The admin list: a peer's held entries, newest first.
  (t) => [index('federation_quarantine_peer_idx').on(t.peerId, t.status, t.createdAt)],
);
