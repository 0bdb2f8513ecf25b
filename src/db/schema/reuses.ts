import { sql } from 'drizzle-orm';
import { date, index, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { organisations } from './organisations';
import { software } from './software';

export const REUSE_STATUSES = ['evaluating', 'piloting', 'production', 'retired'] as const;
export type ReuseStatus = (typeof REUSE_STATUSES)[number];

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
