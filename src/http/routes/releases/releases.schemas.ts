import { Type } from 'typebox';
import { Cursor, Limit, Nullable, OriginQuery, Page, Provenance, Timestamp, Uuid, WebUrl } from '../../schemas/common';

export const Release = Type.Object({
  id: Uuid,
  softwareId: Uuid,
  version: Type.String(),
  date: Nullable(Timestamp),
  notes: Nullable(Type.String()),
  url: Nullable(Type.String()),
  source: Type.Enum(['crawl', 'api']),
  createdAt: Timestamp,
  provenance: Provenance,
});

export const PushReleaseBody = Type.Object(
  {
    version: Type.String({ minLength: 1, maxLength: 100, pattern: '\\S', examples: ['1.4.0', 'v2.0.0-rc.1'], description: 'A version number: a digit first (a leading v is dropped), then letters, digits, . + - _' }),
    date: Type.Optional(Nullable(Type.String({ minLength: 10, maxLength: 40, description: 'ISO 8601 date or date-time' }))),
    notes: Type.Optional(Nullable(Type.String({ maxLength: 100_000 }))),
    url: Type.Optional(Nullable(WebUrl(1000))),
  },
  { additionalProperties: false },
);

export const ReleaseList = Page(Release);

export const ReleaseListQuery = Type.Object(
  { origin: Type.Optional(OriginQuery), cursor: Type.Optional(Cursor), limit: Type.Optional(Limit) },
  { additionalProperties: false },
);
