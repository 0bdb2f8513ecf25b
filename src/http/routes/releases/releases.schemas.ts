import { Type } from 'typebox';
import { Nullable, Timestamp, Uuid } from '../../schemas/common';

export const Release = Type.Object({
  id: Uuid,
  softwareId: Uuid,
  version: Type.String(),
  date: Nullable(Timestamp),
  notes: Nullable(Type.String()),
  url: Nullable(Type.String()),
  source: Type.Enum(['crawl', 'api']),
  createdAt: Timestamp,
});

export const PushReleaseBody = Type.Object(
  {
    version: Type.String({ minLength: 1, maxLength: 100, pattern: '\\S', examples: ['1.4.0', 'v2.0.0-rc.1'] }),
    date: Type.Optional(Nullable(Type.String({ minLength: 10, maxLength: 40, description: 'ISO 8601 date or date-time' }))),
    notes: Type.Optional(Nullable(Type.String({ maxLength: 100_000 }))),
    url: Type.Optional(Nullable(Type.String({ format: 'uri', maxLength: 1000 }))),
  },
  { additionalProperties: false },
);

export const ReleaseList = Type.Object({ items: Type.Array(Release) });
