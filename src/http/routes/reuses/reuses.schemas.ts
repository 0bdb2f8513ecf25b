import { Type } from 'typebox';
import { Nullable, Timestamp, Uuid } from '../../schemas/common';

const Ref = Type.Object({ id: Uuid, slug: Type.String(), name: Type.String() });
const Status = Type.Enum(['evaluating', 'piloting', 'production', 'retired']);

export const Reuse = Type.Object({
  id: Uuid,
  software: Ref,
  organisation: Ref,
  status: Status,
  versionInUse: Nullable(Type.String()),
  since: Nullable(Type.String({ format: 'date' })),
  contact: Nullable(Type.String()),
  notes: Nullable(Type.String()),
  createdAt: Timestamp,
  updatedAt: Timestamp,
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
