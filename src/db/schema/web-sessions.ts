import { sql } from 'drizzle-orm';
import { index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { apiTokens } from './api-tokens';

/**
 * Who a web session speaks for. The session holds a principal, not a credential: token sign-in
 * stores the token's id (scopes are read from the token on every request, so revoking it ends
 * the session); an OpenID Connect login would add a kind of its own here without touching pages.
 */
export type SessionPrincipal = { kind: 'token'; tokenId: string; organisationId: string };

export const webSessions = pgTable(
  'web_session',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    /** SHA-256 of the random session id in the cookie; the id itself is never stored. */
    idHash: text('id_hash').notNull().unique(),
    principal: jsonb('principal').$type<SessionPrincipal>().notNull(),
    /** The API token the session was opened with (null for a future identity-provider login). */
    tokenId: uuid('token_id').references(() => apiTokens.id),
    /** Every form of the session carries this; a POST without it is refused. */
    csrfToken: text('csrf_token').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    // Deleting expired sessions at sign-in (DELETE … WHERE expires_at < now()).
    index('web_session_expires_idx').on(t.expiresAt),
  ],
);
