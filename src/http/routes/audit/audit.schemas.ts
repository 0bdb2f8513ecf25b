import { Type } from 'typebox';
import { Cursor, Limit, Nullable, Page, Timestamp, Uuid } from '../../schemas/common';

export const AuditEvent = Type.Object({
  id: Uuid,
  at: Timestamp,
  actor: Type.String({ description: 'Who acted: "token:<id>" or "admin (HUB_ADMIN_TOKEN)"' }),
  tokenId: Nullable(Uuid),
  organisationId: Nullable(Type.String({ format: 'uuid', description: 'The organisation of the acting token; null for the bootstrap admin' })),
  action: Type.String({ examples: ['software.update', 'release.publish', 'reuse.record'] }),
  entityType: Type.String({ examples: ['organisation', 'software', 'repository', 'release', 'reuse', 'api_token'] }),
  entityId: Type.String(),
  detail: Nullable(Type.Record(Type.String(), Type.Unknown())),
});

export const ListAuditEventsQuery = Type.Object(
  {
    actor: Type.Optional(
      Type.String({
        pattern: '^(admin|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$',
        description: 'A token id, or "admin" for the bootstrap admin from HUB_ADMIN_TOKEN',
      }),
    ),
    entityType: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
    entityId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    from: Type.Optional(Type.String({ format: 'date-time', description: 'Events at or after this time' })),
    to: Type.Optional(Type.String({ format: 'date-time', description: 'Events before this time' })),
    cursor: Type.Optional(Cursor),
    limit: Type.Optional(Limit),
  },
  { additionalProperties: false },
);

export const AuditEventPage = Page(AuditEvent);
