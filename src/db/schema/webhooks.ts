import { sql } from 'drizzle-orm';
import { date, index, integer, jsonb, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { organisations } from './organisations';

/**
 * Event types a subscription may name. The last four are written by capabilities that land on
 * other branches (verified reuse, experience reports, needs): their writes call recordEvent with
 * these names. `webhook.ping` is only ever sent to the subscription that asked for it.
 */
export const WEBHOOK_EVENT_TYPES = [
  'release.published',
  'reuse.recorded',
  'reuse.confirmed',
  'reuse.disputed',
  'crawl.failed',
  'crawl.recovered',
  'experience.reported',
  'need.matched',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number] | 'webhook.ping';

export const SUBSCRIPTION_STATES = ['active', 'disabled'] as const;
export type SubscriptionState = (typeof SUBSCRIPTION_STATES)[number];

export const DELIVERY_STATES = ['pending', 'succeeded', 'failed', 'cancelled'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

export const webhookSubscriptions = pgTable(
  'webhook_subscription',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    url: text('url').notNull(),
    description: text('description'),
    events: text('events').array().$type<string[]>().notNull(),
    /** Empty: every software the event concerns; otherwise only these. */
    softwareIds: uuid('software_ids').array().notNull().default(sql`'{}'::uuid[]`),
    /** AES-256-GCM of the `whsec_…` secret (key from HUB_WEBHOOK_SECRET_KEY or the embedded key file). */
    secretSealed: text('secret_sealed').notNull(),
    /** The secret before the last rotation, still signed with until previousSecretUntil. */
    previousSecretSealed: text('previous_secret_sealed'),
    previousSecretUntil: timestamp('previous_secret_until', { withTimezone: true }),
    state: text('state').$type<SubscriptionState>().notNull().default('active'),
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
    disabledReason: text('disabled_reason'),
    /** Consecutive UTC days with failed attempts and no success; reset by a success. */
    failureDays: integer('failure_days').notNull().default(0),
    lastFailureDay: date('last_failure_day'),
    lastSuccessAt: timestamp('last_success_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  // The dispatcher's lookup: active subscriptions of the organisations an event concerns.
  (t) => [index('webhook_subscription_organisation_idx').on(t.organisationId)],
);

/**
 * The outbox: one row per event, written in the transaction of the change that caused it. The
 * dispatcher turns undispatched rows into deliveries and jobs, then stamps dispatchedAt.
 */
export const webhookEvents = pgTable(
  'webhook_event',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    type: text('type').$type<WebhookEventType>().notNull(),
    /** The organisation the event is about (owner of the software or repository). */
    organisationId: uuid('organisation_id').references(() => organisations.id, { onDelete: 'cascade' }),
    softwareId: uuid('software_id'),
    /** Set for pings: delivered to this subscription only. */
    subscriptionId: uuid('subscription_id'),
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    dispatchedAt: timestamp('dispatched_at', { withTimezone: true }),
  },
  (t) => [
    // The dispatcher's scan of undispatched events, oldest first; dispatched rows leave the index.
    index('webhook_event_undispatched_idx').on(t.createdAt).where(sql`dispatched_at IS NULL`),
    // The retention sweep: events (with their deliveries and attempts) past the log's age.
    index('webhook_event_created_idx').on(t.createdAt),
  ],
);

export const webhookDeliveries = pgTable(
  'webhook_delivery',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    subscriptionId: uuid('subscription_id')
      .notNull()
      .references(() => webhookSubscriptions.id, { onDelete: 'cascade' }),
    eventId: uuid('event_id')
      .notNull()
      .references(() => webhookEvents.id, { onDelete: 'cascade' }),
    state: text('state').$type<DeliveryState>().notNull().default('pending'),
    /** Attempts made so far (the attempt log has one row each). */
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    /** Attempts before the current round (a manual redelivery starts a new round with a fresh retry budget). */
    roundStart: integer('round_start').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // One delivery per event and subscription: a dispatcher run twice adds nothing.
    unique('webhook_delivery_event_subscription_key').on(t.eventId, t.subscriptionId),
    // GET /v1/webhooks/{id}/deliveries, newest first.
    index('webhook_delivery_subscription_idx').on(t.subscriptionId, t.createdAt),
    // The sweeper's scan of pending deliveries whose job went missing (Redis lost it, embedded restart).
    index('webhook_delivery_pending_idx').on(t.nextAttemptAt).where(sql`state = 'pending'`),
  ],
);

export const webhookAttempts = pgTable(
  'webhook_attempt',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    deliveryId: uuid('delivery_id')
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: 'cascade' }),
    attempt: integer('attempt').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    durationMs: integer('duration_ms').notNull(),
    /** Null: no HTTP answer (refused, timeout, DNS). */
    statusCode: integer('status_code'),
    /** The first bytes of the answer (capped), for the delivery log. */
    responseExcerpt: text('response_excerpt'),
    error: text('error'),
  },
  // A delivery's attempts in order; one row per attempt number (a job run twice records it once).
  (t) => [unique('webhook_attempt_delivery_attempt_key').on(t.deliveryId, t.attempt)],
);
