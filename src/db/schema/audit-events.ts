import { sql } from 'drizzle-orm';
import { index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { apiTokens } from './api-tokens';

export const auditEvents = pgTable(
  'audit_event',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    /** Null when the bootstrap admin token from the environment acted. */
    tokenId: uuid('token_id').references(() => apiTokens.id),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id').notNull(),
    detail: jsonb('detail').$type<Record<string, unknown>>(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  // An entity's history, newest first.
  (t) => [index('audit_event_entity_idx').on(t.entityType, t.entityId, t.at)],
);
