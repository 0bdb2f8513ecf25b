import { Forbidden, Unauthorized } from '../../lib/errors';
import type { TokenScope } from '../../db/schema/api-tokens';

/**
 * Who is acting: the bootstrap admin (HUB_ADMIN_TOKEN, or the token embedded mode generated
 * at its first start), or a stored token.
 */
export type Principal =
  | { kind: 'admin-env'; source?: 'HUB_ADMIN_TOKEN' | 'generated' }
  | { kind: 'token'; tokenId: string; organisationId: string; scopes: TokenScope[] };

export function isAdmin(principal: Principal): boolean {
  return principal.kind === 'admin-env' || principal.scopes.includes('admin');
}

export function requirePrincipal(principal: Principal | null): Principal {
  if (principal === null) throw new Unauthorized();
  return principal;
}

export function requireAdmin(principal: Principal | null): Principal {
  const who = requirePrincipal(principal);
  if (!isAdmin(who)) throw new Forbidden('This action needs a token with the admin scope.');
  return who;
}

/**
 * An admin may act for any organisation; anyone else needs the scope and must
 * belong to the organisation the write is about.
 */
export function requireScopeFor(principal: Principal | null, scope: TokenScope, organisationId: string): Principal {
  const who = requirePrincipal(principal);
  if (who.kind === 'admin-env' || isAdmin(who)) return who;
  if (!who.scopes.includes(scope)) {
    throw new Forbidden(`This action needs a token with the ${scope} scope.`);
  }
  if (who.organisationId !== organisationId) {
    throw new Forbidden('This token belongs to another organisation.');
  }
  return who;
}

export function actorOf(principal: Principal): { tokenId: string | null; actor: string } {
  if (principal.kind === 'admin-env') {
    return { tokenId: null, actor: principal.source === 'generated' ? 'admin (generated admin token)' : 'admin (HUB_ADMIN_TOKEN)' };
  }
  return { tokenId: principal.tokenId, actor: `token:${principal.tokenId}` };
}
