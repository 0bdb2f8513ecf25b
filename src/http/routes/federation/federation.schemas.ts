import { Type } from 'typebox';
import { Nullable } from '../../schemas/common';

export const HubDescriptorSchema = Type.Object(
  {
    id: Type.String({ format: 'uri', description: "the hub's id: its public base URL; record ids start with it" }),
    protocol: Type.String({ description: 'federation protocol version, major.minor; peers refuse an unknown major' }),
    signatureTag: Type.String({ description: 'the `tag` parameter of every RFC 9421 signature of this protocol' }),
    name: Type.String(),
    contact: Nullable(Type.String()),
    links: Type.Object({
      self: Type.String({ format: 'uri' }),
      keys: Type.String({ format: 'uri', description: 'the JWKS of the hub signing keys' }),
      changes: Type.String({ format: 'uri' }),
      snapshot: Type.String({ format: 'uri' }),
      entrySchema: Type.String({ format: 'uri', description: 'JSON Schema of a change entry (in the OpenAPI document)' }),
    }),
    authorityScope: Type.Object({ officialKeyPrefixes: Type.Array(Type.String()), organisationIds: Type.Array(Type.String()) }),
    tombstoneRetentionDays: Type.Integer(),
    maxPageSize: Type.Integer(),
    logEpoch: Type.String(),
  },
  { description: 'Hub descriptor (design: Identity and keys)' },
);

const JwkSchema = Type.Object({
  kty: Type.Literal('OKP'),
  crv: Type.Literal('Ed25519'),
  x: Type.String({ description: 'public key, base64url' }),
  kid: Type.String({ description: 'RFC 7638 JWK thumbprint (SHA-256, base64url): what peers pin' }),
  alg: Type.Literal('EdDSA'),
  use: Type.Literal('sig'),
  exp: Type.Optional(Type.Integer({ description: 'retired keys: when the key stopped signing (seconds since the epoch); still valid for older signatures' })),
});

export const JwksSchema = Type.Object(
  { keys: Type.Array(JwkSchema) },
  { description: 'JSON Web Key Set (RFC 7517) of the hub, current and retired keys' },
);

export const FederatedTypeSchema = Type.Union(
  [Type.Literal('organisation'), Type.Literal('software'), Type.Literal('release'), Type.Literal('reuse')],
  { description: 'record type' },
);

const ProofSchema = Type.Object(
  {
    type: Type.Literal('DataIntegrityProof'),
    cryptosuite: Type.Literal('eddsa-jcs-2022'),
    verificationMethod: Type.String({ description: '`{hub}/federation/v1/keys#{kid}`' }),
    created: Type.String(),
    proofPurpose: Type.Literal('assertionMethod'),
    proofValue: Type.String({ description: 'multibase base58btc Ed25519 signature' }),
  },
  { description: "The origin's proof over the entry without seq, via and proof (Ed25519 over JCS, RFC 8785)" },
);

/** Unknown members are kept (additionalProperties): the proof signs every member but seq and via. */
export const EntrySchema = Type.Object(
  {
    seq: Type.Optional(Type.Integer({ description: 'position in this hub\'s log (hop-local, unsigned); absent in snapshots' })),
    op: Type.Union([Type.Literal('upsert'), Type.Literal('delete'), Type.Literal('scope-exit')]),
    type: FederatedTypeSchema,
    id: Type.String({ description: 'global id `{origin}/id/{type}/{uuid}`' }),
    origin: Type.String({ description: 'origin hub id' }),
    originVersion: Type.Integer({ minimum: 0, description: 'per-record version at the origin; 0: never changed since the origin turned federation on' }),
    originUpdatedAt: Type.String({ description: 'informative; order comes from originVersion' }),
    schema: Type.String({ description: 'record schema, `transferhub.<type>/1`' }),
    record: Type.Optional(Type.Object({}, { additionalProperties: true, description: 'the record (upsert); see src/domain/federation/README.md' })),
    deletedAt: Type.Optional(Type.String()),
    reason: Type.Optional(Type.String()),
    via: Type.Array(Type.String(), { description: 'relay path (hub ids), unsigned' }),
    proof: ProofSchema,
  },
  { additionalProperties: true, description: 'A change entry (design: Endpoints)' },
);

export const ChangesQuery = Type.Object({
  since: Type.Optional(Type.String({ maxLength: 200, description: 'opaque cursor: `next` of the previous page; absent: from the start of the log' })),
  limit: Type.Integer({ minimum: 1, maximum: 1000, default: 500, description: 'entries per page (1–1000)' }),
  types: Type.Optional(Type.String({ pattern: '^(organisation|software|release|reuse)(,(organisation|software|release|reuse))*$', description: 'comma-separated types' })),
});

export const ChangesPageSchema = Type.Object({
  entries: Type.Array(EntrySchema),
  next: Type.String({ description: 'cursor for the next request (the same cursor when nothing came)' }),
  hasMore: Type.Boolean(),
  highWaterMark: Type.Integer({ description: 'highest committed seq of this log' }),
  logEpoch: Type.String({ description: 'a new epoch invalidates every cursor (410)' }),
});

export const SnapshotQuery = Type.Object({
  type: FederatedTypeSchema,
  after: Type.Optional(Type.String({ maxLength: 300, description: '`next` of the previous snapshot page' })),
  limit: Type.Integer({ minimum: 1, maximum: 1000, default: 500 }),
});

export const SnapshotPageSchema = Type.Object({
  entries: Type.Array(EntrySchema),
  next: Nullable(Type.String()),
  hasMore: Type.Boolean(),
  asOf: Type.String({ description: 'changes cursor fixed at page one: pull changes from it after the last page' }),
  logEpoch: Type.String(),
});

export const RecordParams = Type.Object({ type: FederatedTypeSchema, uuid: Type.String({ format: 'uuid' }) });

export const NotifyBody = Type.Object(
  { hub: Type.String({ maxLength: 500, description: "the notifying peer's hub id" }), highWaterMark: Type.Integer({ minimum: 0 }) },
  { additionalProperties: false },
);
export const NotifyAccepted = Type.Object({ queued: Type.Boolean(), deduplicated: Type.Boolean() });
