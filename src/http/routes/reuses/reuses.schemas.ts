import { Type } from 'typebox';
import { FederatedRef, Nullable, OriginQuery, Provenance, Timestamp, Uuid } from '../../schemas/common';

const Status = Type.Enum(['evaluating', 'piloting', 'production', 'retired']);

export const Reuse = Type.Object({
  id: Uuid,
  software: FederatedRef('The reused software entry'),
  organisation: FederatedRef('The reusing organisation'),
  status: Status,
  versionInUse: Nullable(Type.String()),
  since: Nullable(Type.String({ format: 'date' })),
  contact: Nullable(Type.String()),
  notes: Nullable(Type.String()),
  verification: Type.Object(
    {
      state: Type.Enum(['self-declared', 'confirmed', 'disputed']),
      by: Nullable(Type.Enum(['producer', 'admin'], { description: 'Who confirmed or disputed: the producer (publish token) or the hub admin' })),
      at: Nullable(Timestamp),
      reason: Nullable(Type.String({ description: "The producer's reason for a dispute" })),
    },
    { description: "The producer's word on the record; a dispute stays visible" },
  ),
  byOtherOrganisation: Type.Boolean({
    description: 'False when the reusing organisation is the producer itself or shares a cooperation (memberKeys) with it: such records never count as reuse by another municipality',
  }),
  // Set when the reusing organisation withdrew the record: kept, counted nowhere.
  withdrawnAt: Nullable(Timestamp),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  provenance: Provenance,
});

const fields = {
  status: Status,
  versionInUse: Nullable(Type.String({ minLength: 1, maxLength: 100 })),
  since: Nullable(Type.String({ format: 'date' })),
  contact: Nullable(Type.String({ minLength: 1, maxLength: 500 })),
  notes: Nullable(Type.String({ maxLength: 20_000, description: 'Experience notes, free text (German or English)' })),
};

export const RecordReuseBody = Type.Object(
  {
    status: fields.status,
    versionInUse: Type.Optional(fields.versionInUse),
    since: Type.Optional(fields.since),
    contact: Type.Optional(fields.contact),
    notes: Type.Optional(fields.notes),
    organisationId: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Admin only: the reusing organisation' })),
  },
  { additionalProperties: false },
);

export const UpdateReuseBody = Type.Object(
  {
    status: Type.Optional(fields.status),
    versionInUse: Type.Optional(fields.versionInUse),
    since: Type.Optional(fields.since),
    contact: Type.Optional(fields.contact),
    notes: Type.Optional(fields.notes),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const ReuseParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }), reuseId: Type.String({ minLength: 1, maxLength: 200 }) });
export const ReuseList = Type.Object({ items: Type.Array(Reuse) });
export const ReuseListQuery = Type.Object({ origin: Type.Optional(OriginQuery) }, { additionalProperties: false });

export const DisputeBody = Type.Object(
  { reason: Type.String({ minLength: 3, maxLength: 2000, description: 'Why the producer disputes this reuse (shown publicly)' }) },
  { additionalProperties: false },
);

export const ReuseHistory = Type.Object({
  reuse: Reuse,
  items: Type.Array(
    Type.Object({
      kind: Type.Enum(['recorded', 'status-changed', 'confirmed', 'disputed', 'withdrawn', 'recorded-again']),
      status: Status,
      reason: Nullable(Type.String()),
      actor: Type.Enum(['reusing organisation', 'producer', 'admin']),
      at: Timestamp,
    }),
    { description: 'Every change of the record, oldest first' },
  ),
});
