import { Type } from 'typebox';
import { WEBHOOK_EVENT_TYPES } from '../../../db/schema/webhooks';
import { Cursor, Limit, Nullable, Timestamp, Uuid } from '../../schemas/common';

const EventType = Type.Enum([...WEBHOOK_EVENT_TYPES], {
  description:
    'release.published (software the organisation owns or reuses); reuse.recorded, reuse.confirmed, reuse.disputed, experience.reported (software it owns); crawl.failed, crawl.recovered (its repositories); need.matched (its needs)',
});

export const Subscription = Type.Object({
  id: Uuid,
  organisationId: Uuid,
  url: Type.String(),
  description: Nullable(Type.String()),
  events: Type.Array(Type.String()),
  softwareIds: Type.Array(Uuid),
  state: Type.Enum(['active', 'disabled']),
  disabledAt: Nullable(Timestamp),
  disabledReason: Nullable(Type.String({ description: 'Why the subscription is disabled (the hub disables it after failing days in a row)' })),
  failureDays: Type.Integer({ description: 'UTC days in a row with failed deliveries and no success' }),
  lastSuccessAt: Nullable(Timestamp),
  previousSecretValidUntil: Nullable(Timestamp),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export const SubscriptionWithSecret = Type.Object({
  ...Subscription.properties,
  secret: Type.String({ description: 'The signing secret (whsec_…), shown only in this answer: store it now' }),
});

const Url = Type.String({ format: 'uri', maxLength: 2000, description: 'https URL of the receiving endpoint' });
const fields = {
  url: Url,
  events: Type.Array(EventType, { minItems: 1, maxItems: WEBHOOK_EVENT_TYPES.length, uniqueItems: true }),
  softwareIds: Type.Array(Uuid, { maxItems: 100, uniqueItems: true, description: 'Only events about this software; empty or absent: all' }),
  description: Nullable(Type.String({ maxLength: 500 })),
};

export const CreateSubscriptionBody = Type.Object(
  { url: fields.url, events: fields.events, softwareIds: Type.Optional(fields.softwareIds), description: Type.Optional(fields.description) },
  { additionalProperties: false },
);

export const UpdateSubscriptionBody = Type.Object(
  {
    url: Type.Optional(fields.url),
    events: Type.Optional(fields.events),
    softwareIds: Type.Optional(fields.softwareIds),
    description: Type.Optional(fields.description),
    state: Type.Optional(Type.Enum(['active', 'disabled'], { description: '"active" enables a disabled subscription again' })),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const SubscriptionList = Type.Object({ items: Type.Array(Subscription) });
export const SubscriptionParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) });
export const DeliveryParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }), deliveryId: Type.String({ minLength: 1, maxLength: 200 }) });

const Attempt = Type.Object({
  attempt: Type.Integer(),
  startedAt: Timestamp,
  durationMs: Type.Integer(),
  statusCode: Nullable(Type.Integer()),
  responseExcerpt: Nullable(Type.String({ description: 'The first 1,024 characters of the answer' })),
  error: Nullable(Type.String()),
});

export const Delivery = Type.Object({
  id: Uuid,
  messageId: Type.String({ description: 'The webhook-id header: the same on every attempt' }),
  event: Type.Object({ id: Uuid, type: Type.String(), createdAt: Timestamp }),
  state: Type.Enum(['pending', 'succeeded', 'failed', 'cancelled']),
  attempts: Type.Array(Attempt),
  nextAttemptAt: Nullable(Timestamp),
  createdAt: Timestamp,
});

export const DeliveryPage = Type.Object({ items: Type.Array(Delivery), nextCursor: Nullable(Type.String()) });
export const DeliveriesQuery = Type.Object({ cursor: Type.Optional(Cursor), limit: Type.Optional(Limit) }, { additionalProperties: false });
export const Queued = Type.Object({ deliveryId: Uuid });
