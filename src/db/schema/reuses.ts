import { sql } from 'drizzle-orm';
import { date, index, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { organisations } from './organisations';
import { software } from './software';

export const REUSE_STATUSES = ['evaluating', 'piloting', 'production', 'retired'] as const;
export type ReuseStatus = (typeof REUSE_STATUSES)[number];

/** Whether the producer (the software's owner) stands behind a reuse record. */
export const REUSE_VERIFICATIONS = ['self-declared', 'confirmed', 'disputed'] as const;
export type ReuseVerification = (typeof REUSE_VERIFICATIONS)[number];

/** What a history entry records: the lifecycle of the record, its status and the producer's word on it. */
export const REUSE_EVENT_KINDS = ['recorded', 'status-changed', 'confirmed', 'disputed', 'withdrawn', 'recorded-again'] as const;
export type ReuseEventKind = (typeof REUSE_EVENT_KINDS)[number];

export const reuses = pgTable(
  'reuse',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    softwareId: uuid('software_id')
      .notNull()
      .references(() => software.id),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    status: text('status').$type<ReuseStatus>().notNull(),
    versionInUse: text('version_in_use'),
    since: date('since'),
    contact: text('contact'),
    notes: text('notes'),
    verification: text('verification').$type<ReuseVerification>().notNull().default('self-declared'),
    /** The producer's actor (token or admin) and time of the last confirmation or dispute. */
    verifiedBy: text('verified_by'),
    verifiedAt: timestamp('verified_at', { withTimezone: true }),
    disputeReason: text('dispute_reason'),
    /** Set when the reusing organisation withdrew the record: kept (history, reports), counted nowhere. */
    withdrawnAt: timestamp('withdrawn_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // One record per software and reusing organisation.
    unique('reuse_software_organisation_key').on(t.softwareId, t.organisationId),
    // GET /v1/organisations/{id}/reuses.
    index('reuse_organisation_idx').on(t.organisationId),
  ],
);

/** Every change of a reuse record, with its date: GET /v1/software/{id}/reuses/{reuseId}/history. */
export const reuseEvents = pgTable(
  'reuse_event',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    reuseId: uuid('reuse_id')
      .notNull()
      .references(() => reuses.id),
    kind: text('kind').$type<ReuseEventKind>().notNull(),
    /** The record's status after the event. */
    status: text('status').$type<ReuseStatus>().notNull(),
    reason: text('reason'),
    actor: text('actor').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  // The history of one record in time order.
  (t) => [index('reuse_event_reuse_idx').on(t.reuseId, t.at)],
);
