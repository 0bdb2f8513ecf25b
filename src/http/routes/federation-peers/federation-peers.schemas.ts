import { Type } from 'typebox';
import { Nullable, Timestamp, Uuid } from '../../schemas/common';
import { FederatedTypeSchema } from '../federation/federation.schemas';

const PeerKey = Type.Object({
  kid: Type.String(),
  thumbprint: Type.String({ description: 'RFC 7638 thumbprint recomputed from the key: compare it with what the peer operator tells you' }),
  status: Type.String({ description: 'candidate (preview), pinned, pending, revoked' }),
  notAfter: Nullable(Timestamp),
});

const Scope = Type.Object({
  officialKeyPrefixes: Type.Array(Type.String({ pattern: '^[0-9]{1,12}$' }), { maxItems: 100 }),
  organisationIds: Type.Array(Type.String({ maxLength: 500 }), { maxItems: 1000 }),
  anyOrganisation: Type.Optional(Type.Boolean({ description: 'origin for any organisation that no other origin (and not this hub) holds' })),
});

export const PeerSchema = Type.Object({
  id: Uuid,
  hubId: Type.String(),
  baseUrl: Type.String(),
  name: Nullable(Type.String()),
  status: Type.String({ description: 'active, degraded, paused, quarantined, revoked' }),
  statusReason: Nullable(Type.String()),
  pullEnabled: Type.Boolean(),
  pullIntervalSeconds: Type.Integer(),
  serveEnabled: Type.Boolean(),
  acceptedTypes: Type.Array(FederatedTypeSchema),
  servedTypes: Type.Array(FederatedTypeSchema),
  authorityScope: Scope,
  relayOrigins: Type.Array(Type.String()),
  keys: Type.Array(PeerKey),
  lastSuccessAt: Nullable(Timestamp),
  lastFailureAt: Nullable(Timestamp),
  lastError: Nullable(Type.String()),
  failureDays: Type.Integer({ description: 'distinct days with failed pulls since the last success' }),
  highWaterMark: Nullable(Type.Integer({ description: "the peer's log position we saw last" })),
  snapshotInProgress: Type.Boolean(),
  counters: Type.Object({
    pages: Type.Integer(),
    applied: Type.Integer(),
    skipped: Type.Integer(),
    quarantined: Type.Integer(),
    quarantineHeld: Type.Integer(),
    deletesHeld: Type.Integer(),
  }),
});

export const PeerList = Type.Object({ items: Type.Array(PeerSchema) });

export const AddPeerBody = Type.Object(
  {
    baseUrl: Type.String({ format: 'uri', maxLength: 500, description: "the peer's public base URL" }),
    pin: Type.Optional(Type.Array(Type.String({ minLength: 43, maxLength: 43 }), { minItems: 1, maxItems: 10, description: 'thumbprints to pin; absent: preview only, nothing stored' })),
  },
  { additionalProperties: false },
);

export const PeerPreview = Type.Object({
  stored: Type.Literal(false),
  peer: Type.Object({ hubId: Type.String(), baseUrl: Type.String(), name: Type.String(), protocol: Type.String(), keys: Type.Array(PeerKey) }),
});
export const PeerStored = Type.Object({ stored: Type.Literal(true), peer: PeerSchema });

export const PeerSettingsBody = Type.Object(
  {
    pullEnabled: Type.Optional(Type.Boolean()),
    // 30 s … 1 day: faster is what notify is for; slower than daily is not federation.
    pullIntervalSeconds: Type.Optional(Type.Integer({ minimum: 30, maximum: 86_400 })),
    serveEnabled: Type.Optional(Type.Boolean()),
    acceptedTypes: Type.Optional(Type.Array(FederatedTypeSchema, { uniqueItems: true })),
    servedTypes: Type.Optional(Type.Array(FederatedTypeSchema, { uniqueItems: true })),
    authorityScope: Type.Optional(Scope),
    relayOrigins: Type.Optional(Type.Array(Type.String({ format: 'uri', maxLength: 500 }), { maxItems: 100 })),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const PeerParams = Type.Object({ id: Uuid });
export const SyncQueued = Type.Object({ queued: Type.Boolean(), deduplicated: Type.Boolean() });

export const QuarantinedEntry = Type.Object({
  id: Uuid,
  reason: Type.String({ description: 'Why it was held: entry.schema-invalid, entry.proof-invalid, entry.not-authoritative, entry.origin-not-allowed, entry.other-origin, entry.equivocation, snapshot.mass-delete-held …' }),
  detail: Nullable(Type.String()),
  type: Nullable(Type.String()),
  globalId: Nullable(Type.String()),
  origin: Nullable(Type.String()),
  originVersion: Nullable(Type.Integer()),
  status: Type.Literal('held'),
  createdAt: Timestamp,
});
export const QuarantineList = Type.Object({ items: Type.Array(QuarantinedEntry) });
export const QuarantineParams = Type.Object({ id: Uuid, entryId: Uuid });
export const QuarantineDecision = Type.Object({
  id: Uuid,
  status: Type.Enum(['released', 'discarded']),
  deletesApplied: Type.Optional(Type.Integer({ description: 'A released mass delete: how many records were deleted' })),
});
