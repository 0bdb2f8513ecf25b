import { randomBytes } from 'node:crypto';
import type { Db } from '../../db/client';
import {
  deleteExpiredWebSessions,
  deleteWebSession,
  findLiveWebSession,
  insertWebSession,
} from '../../db/queries/web-sessions.queries';
import { AppError } from '../../lib/errors';
import { audit } from '../audit/audit';
import type { AdminCredential } from './admin-token';
import type { Principal } from './principal';
import { hashToken } from './token-secret';
import { authenticate } from './tokens.service';

/** A working day: a session opened in the morning lasts the day; sign-in again after. */
export const WEB_SESSION_LIFETIME_MS = 8 * 60 * 60 * 1000;

export class SignInRefused extends AppError {
  constructor(slug: 'session.token_unknown' | 'session.admin_token', detail: string) {
    super(slug === 'session.token_unknown' ? 401 : 403, slug, slug === 'session.token_unknown' ? 'Unauthorized' : 'Forbidden', detail, [
      { field: 'token', message: detail },
    ]);
  }
}

export type WebSession = {
  principal: Principal;
  organisation: { id: string; slug: string; name: string };
  csrfToken: string;
};

function randomId() {
  return randomBytes(32).toString('base64url');
}

/**
 * Opens a session for an organisation's API token, pasted once into the sign-in form. The cookie
 * gets a random session id; the database keeps its hash and the token's id, never the token.
 * The hub's admin token is refused: it acts for every organisation and belongs in scripts, not in
 * a browser session.
 */
export async function signInWithToken(db: Db, admin: AdminCredential | null, secret: string) {
  const principal = await authenticate(db, admin, secret.trim());
  if (principal === null) throw new SignInRefused('session.token_unknown', 'The token is unknown or revoked.');
  if (principal.kind !== 'token') {
    throw new SignInRefused('session.admin_token', "The hub's admin token cannot open a web session; use a token of an organisation.");
  }
  const sessionId = randomId();
  const csrfToken = randomId();
  await db.transaction(async (tx) => {
    // Sign-in is a write anyway; expired sessions go here rather than on a page view (a GET never writes).
    await deleteExpiredWebSessions(tx);
    const row = await insertWebSession(tx, {
      idHash: hashToken(sessionId),
      principal: { kind: 'token', tokenId: principal.tokenId, organisationId: principal.organisationId },
      tokenId: principal.tokenId,
      csrfToken,
      expiresAt: new Date(Date.now() + WEB_SESSION_LIFETIME_MS),
    });
    await audit(tx, principal, { action: 'session.sign-in', entityType: 'web_session', entityId: row.id });
  });
  return { sessionId, maxAgeSeconds: WEB_SESSION_LIFETIME_MS / 1000 };
}

/** The session behind a cookie value: null when unknown, expired, or its token was revoked. */
export async function findWebSession(db: Db, sessionId: string): Promise<WebSession | null> {
  const row = await findLiveWebSession(db, hashToken(sessionId));
  if (!row) return null;
  const { principal } = row.session;
  return {
    principal: { kind: 'token', tokenId: principal.tokenId, organisationId: principal.organisationId, scopes: row.scopes },
    organisation: row.organisation,
    csrfToken: row.session.csrfToken,
  };
}

export async function signOut(db: Db, session: WebSession, sessionId: string) {
  await db.transaction(async (tx) => {
    const row = await deleteWebSession(tx, hashToken(sessionId));
    if (row) await audit(tx, session.principal, { action: 'session.sign-out', entityType: 'web_session', entityId: row.id });
  });
}
