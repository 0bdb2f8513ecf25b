import { Type, type TSchema } from 'typebox';
import { WEB_URL_FORMAT } from '../../lib/web-url';

/** Shared pieces of route schemas; each has a stable $id-free shape so OpenAPI inlines it. */
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const IdOrSlug = Type.String({ minLength: 1, maxLength: 200, description: 'UUID or slug' });
export const IdParams = Type.Object({ id: IdOrSlug });

export const Limit = Type.Integer({ minimum: 1, maximum: 100, default: 20, description: 'Page size (1–100)' });
export const Cursor = Type.String({ maxLength: 500, description: 'Opaque cursor from nextCursor of the previous page' });

/** Query filters accept a value or repeated values (`?kind=county&kind=municipality`). */
const FilterValue = Type.String({ minLength: 1, maxLength: 200 });
export function Multi(): ReturnType<typeof Type.Array<typeof FilterValue>>;
export function Multi<T extends TSchema>(item: T): ReturnType<typeof Type.Array<T>>;
export function Multi(item: TSchema = FilterValue) {
  return Type.Array(item, { maxItems: 50 });
}

export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    instance: Type.Optional(Type.String()),
    errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
  },
  { description: 'RFC 9457 problem details (application/problem+json)' },
);

/** A 409: when the request collides with a record that exists already, the problem names it. */
export const ConflictProblemSchema = Type.Object(
  {
    ...ProblemSchema.properties,
    existingId: Type.Optional(
      Type.String({
        description: 'The id of the record that exists already (a reuse record, the organisation holding an official key), to read or update it instead',
      }),
    ),
  },
  { description: 'RFC 9457 problem details (application/problem+json) with the extension member existingId' },
);

export const Page = <T extends TSchema>(item: T) =>
  Type.Object({ items: Type.Array(item), nextCursor: Nullable(Type.String()) });

/** A link a web page renders (href/src): http(s) only, see src/lib/web-url.ts. */
export const WebUrl = (maxLength: number) =>
  Type.String({ format: WEB_URL_FORMAT, maxLength, description: 'An absolute http: or https: URL (other schemes such as javascript: or data: are refused)' });

export const Timestamp = Type.String({ format: 'date-time' });
export const Uuid = Type.String({ format: 'uuid' });

/** Error answers every write route documents. */
export const writeErrors = {
  400: ProblemSchema,
  401: ProblemSchema,
  403: ProblemSchema,
  404: ProblemSchema,
  409: ConflictProblemSchema,
  413: ProblemSchema,
};

export const bearer = [{ bearerAuth: [] }];

/** Where a federated record comes from (issue 15): this hub, or the hub that is its origin. */
export const Provenance = Type.Object(
  {
    origin: Type.String({ description: '"local" when this hub is the origin; otherwise the origin hub\'s id (its base URL), the only hub where the record can be changed' }),
    receivedAt: Nullable(Type.String({ format: 'date-time', description: 'When this hub last received the record from a peer; null for local records' })),
  },
  { description: 'Origin of the record: local, or mirrored from another hub' },
);

/** The `origin` filter of lists and search. */
export const OriginQuery = Type.String({
  maxLength: 500,
  pattern: '^(local|https?://\\S+)$',
  description: 'Only records of this origin: "local" (this hub) or a hub id (the origin hub\'s base URL, as provenance.origin states it)',
  examples: ['local', 'https://hub-by.example'],
});

/**
 * A reference to another federated record inside an answer (a software entry's organisation, a
 * reuse record's software and organisation), with that record's own provenance: a local record
 * may name a mirrored one, and only its origin hub changes it.
 */
export const FederatedRef = (description: string) =>
  Type.Object(
    {
      id: Uuid,
      slug: Type.String(),
      name: Type.String(),
      provenance: Type.Object(Provenance.properties, { description: 'Origin of the referenced record (not of the record naming it): local, or mirrored from another hub' }),
    },
    { description },
  );
