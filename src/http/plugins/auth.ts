import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { configuredAdminToken } from '../../domain/auth/admin-token';
import { authenticate } from '../../domain/auth/tokens.service';
import type { Principal } from '../../domain/auth/principal';
import type { HubContext } from '../../domain/context';
import { Unauthorized } from '../../lib/errors';

declare module 'fastify' {
  interface FastifyRequest {
    /** null: no Authorization header. Routes pass it to the domain, which decides. */
    principal: Principal | null;
  }
}

/**
 * Reads `Authorization: Bearer <token>`. Reads are public, so no header is fine here;
 * a header that is malformed or names an unknown or revoked token is a 401 at once.
 */
async function authPlugin(app: FastifyInstance, { hub }: { hub: HubContext }) {
  app.decorateRequest('principal', null);
  const admin = hub.admin === undefined ? configuredAdminToken(hub.config.adminToken) : hub.admin;
  app.addHook('onRequest', async (request) => {
    const header = request.headers.authorization;
    if (header === undefined) {
      // Writes declare bearer security; answer 401 before validating a body nobody may send.
      if (request.routeOptions.schema?.security?.some((requirement) => 'bearerAuth' in requirement)) throw new Unauthorized();
      return;
    }
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) throw new Unauthorized('The Authorization header must be "Bearer <token>".');
    const principal = await authenticate(hub.db, admin, match[1]!);
    if (!principal) throw new Unauthorized('The token is unknown or revoked.');
    request.principal = principal;
  });
}

export default fp(authPlugin, { name: 'auth' });
