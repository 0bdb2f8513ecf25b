import { sql } from 'drizzle-orm';
import { pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { software } from './software';

export const RELEASE_SOURCES = ['crawl', 'api'] as const;

export const releases = pgTable(
  'release',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    softwareId: uuid('software_id')
      .notNull()
      .references(() => software.id),
    version: text('version').notNull(),
    releasedAt: timestamp('released_at', { withTimezone: true }),
    notes: text('notes'),
    url: text('url'),
    source: text('source').$type<(typeof RELEASE_SOURCES)[number]>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  // Idempotent release push and crawl upserts key on this pair.
  (t) => [unique('release_software_version_key').on(t.softwareId, t.version)],
);
