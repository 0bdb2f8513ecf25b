import { randomBytes } from 'node:crypto';
import type { Db } from '../../db/client';
import { findActiveTokenByHash, insertToken, listTokens, revokeToken, touchToken } from '../../db/queries/tokens.queries';
import type { TokenScope } from '../../db/schema/api-tokens';
import { AppError, NotFound } from '../../lib/errors';
import { audit } from '../audit/audit';
import type { AdminCredential } from './admin-token';
import { requireAdmin, type Principal } from './principal';
import { hashToken, sameHash, TOKEN_PREFIX } from './token-secret';
import { getOrganisationRow } from '../catalogue/organisation-lookup';

/** Admin is the hub operator's role (see isAdmin); no organisation's token is issued with it. */
export class AdminScopeNotGrantable extends AppError {
  constructor() {
    super(
      400,
      'token.admin_scope_not_grantable',
      'Bad request',
      "The admin scope cannot be granted: admin is the hub operator's role, held only by HUB_ADMIN_TOKEN. Use publish and reuse.",
      [{ field: '/scopes', message: 'admin cannot be granted to an organisation' }],
    );
  }
}

/** null: no token given; throws nothing for unknown tokens, the caller answers 401. */
export async function authenticate(db: Db, admin: AdminCredential | null, secret: string): Promise<Principal | null> {
  const hash = hashToken(secret);
  if (admin !== null && sameHash(hash, admin.tokenHash)) return { kind: 'admin-env', source: admin.source };
  if (!secret.startsWith(TOKEN_PREFIX)) return null;
  const row = await findActiveTokenByHash(db, hash);
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
  if (input.scopes.includes('admin')) throw new AdminScopeNotGrantable();
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
