import { Type, type TSchema } from 'typebox';

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
    existingId: Type.Optional(
      Type.String({ description: 'Only in a 409 about a record that exists already (such as a reuse record): its id, to read or update it instead' }),
    ),
  },
  { description: 'RFC 9457 problem details (application/problem+json)' },
);

export const Page = <T extends TSchema>(item: T) =>
  Type.Object({ items: Type.Array(item), nextCursor: Nullable(Type.String()) });

export const Timestamp = Type.String({ format: 'date-time' });
export const Uuid = Type.String({ format: 'uuid' });

/** Error answers every write route documents. */
export const writeErrors = {
  400: ProblemSchema,
  401: ProblemSchema,
  403: ProblemSchema,
  404: ProblemSchema,
  409: ProblemSchema,
  413: ProblemSchema,
};

export const bearer = [{ bearerAuth: [] }];
