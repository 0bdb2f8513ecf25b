import { Forbidden, Unauthorized } from '../../lib/errors';
import type { TokenScope } from '../../db/schema/api-tokens';

/**
 * Who is acting: the bootstrap admin (HUB_ADMIN_TOKEN, or the token embedded mode generated
 * at its first start), or a stored token.
 */
export type Principal =
  | { kind: 'admin-env'; source?: 'HUB_ADMIN_TOKEN' | 'generated' }
  | { kind: 'token'; tokenId: string; organisationId: string; scopes: TokenScope[] };

/**
 * Admin is the hub operator's role, held only by HUB_ADMIN_TOKEN (or the generated embedded admin
 * token), never by an organisation's token (issue 10 #9): an admin acts on every organisation,
 * so an organisation holding it could act on all the others. Tokens issued before this rule may
 * still list the admin scope; it grants nothing.
 */
export function isAdmin(principal: Principal): boolean {
  return principal.kind === 'admin-env';
}

export function requirePrincipal(principal: Principal | null): Principal {
  if (principal === null) throw new Unauthorized();
  return principal;
}

export function requireAdmin(principal: Principal | null): Principal {
  const who = requirePrincipal(principal);
  if (!isAdmin(who)) throw new Forbidden("This action needs the hub's admin token (HUB_ADMIN_TOKEN); an organisation's token cannot do it.");
  return who;
}

/**
 * The hub admin may act for any organisation; anyone else needs the scope and must
 * belong to the organisation the write is about.
 */
export function requireScopeFor(principal: Principal | null, scope: TokenScope, organisationId: string): Principal {
  const who = requirePrincipal(principal);
  if (who.kind === 'admin-env') return who;
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
