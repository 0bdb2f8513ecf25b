import { sql } from 'drizzle-orm';
import { pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { organisations } from './organisations';

export const TOKEN_SCOPES = ['publish', 'reuse', 'admin'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

export const apiTokens = pgTable('api_token', {
  id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
  organisationId: uuid('organisation_id')
    .notNull()
    .references(() => organisations.id),
  /** SHA-256 of the secret; the secret itself is shown once and never stored. */
  tokenHash: text('token_hash').notNull().unique(),
  label: text('label'),
  scopes: text('scopes').array().$type<TokenScope[]>().notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
});
