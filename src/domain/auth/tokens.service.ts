import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from '../../db/client';
import { findActiveTokenByHash, insertToken, listTokens, revokeToken, touchToken } from '../../db/queries/tokens.queries';
import type { TokenScope } from '../../db/schema/api-tokens';
import { NotFound } from '../../lib/errors';
import { audit } from '../audit/audit';
import { requireAdmin, type Principal } from './principal';
import { getOrganisationRow } from '../catalogue/organisation-lookup';

/** Tokens carry 256 random bits, so a fast SHA-256 is a safe way to store them (no password stretching needed). */
function hashToken(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Identifies our tokens in logs and secret scanners. */
const TOKEN_PREFIX = 'thub_';

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** null: no token given; throws nothing for unknown tokens, the caller answers 401. */
export async function authenticate(
  db: Db,
  adminToken: string | null,
  secret: string,
): Promise<Principal | null> {
  if (adminToken !== null && sameSecret(secret, adminToken)) return { kind: 'admin-env' };
  if (!secret.startsWith(TOKEN_PREFIX)) return null;
  const row = await findActiveTokenByHash(db, hashToken(secret));
  if (!row) return null;
  await touchToken(db, row.id);
  return { kind: 'token', tokenId: row.id, organisationId: row.organisationId, scopes: row.scopes };
}

export type TokenView = {
  id: string;
  organisationId: string;
  label: string | null;
  scopes: TokenScope[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
};

function view(row: Awaited<ReturnType<typeof insertToken>>): TokenView {
  return {
    id: row.id,
    organisationId: row.organisationId,
    label: row.label,
    scopes: row.scopes,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

export async function createToken(
  db: Db,
  principal: Principal | null,
  input: { organisation: string; scopes: TokenScope[]; label?: string | null },
): Promise<TokenView & { token: string }> {
  const who = requireAdmin(principal);
  const organisation = await getOrganisationRow(db, input.organisation);
  const secret = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  return db.transaction(async (tx) => {
    const row = await insertToken(tx, {
      organisationId: organisation.id,
      tokenHash: hashToken(secret),
      label: input.label ?? null,
      scopes: [...new Set(input.scopes)],
    });
    await audit(tx, who, { action: 'token.create', entityType: 'api_token', entityId: row.id, detail: { scopes: row.scopes } });
    return { ...view(row), token: secret };
  });
}

export async function listOrganisationTokens(db: Db, principal: Principal | null, organisation: string): Promise<TokenView[]> {
  requireAdmin(principal);
  const org = await getOrganisationRow(db, organisation);
  return (await listTokens(db, org.id)).map(view);
}

export async function revokeOrganisationToken(
  db: Db,
  principal: Principal | null,
  input: { organisation: string; tokenId: string },
): Promise<void> {
  const who = requireAdmin(principal);
  const org = await getOrganisationRow(db, input.organisation);
  await db.transaction(async (tx) => {
    const revoked = await revokeToken(tx, { organisationId: org.id, id: input.tokenId });
    if (!revoked) throw new NotFound('Active token', input.tokenId);
    await audit(tx, who, { action: 'token.revoke', entityType: 'api_token', entityId: input.tokenId });
  });
}
