import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

/**
 * CORS (issue 10 #10): catalogue widgets on municipal sites read the public API from their own
 * origin, so every anonymous GET/HEAD may be read by any origin (`*`, never with credentials).
 * Writes are not shared: a preflight for any other method, or one that asks to send extra
 * headers (a token), is answered without `Access-Control-Allow-*`, so the browser blocks the
 * request before it is sent. Written here rather than with @fastify/cors because the rule is two
 * branches and a preflight route; the package's per-request origin callback would still leave
 * the method and header decisions to us.
 */
const READ_METHODS = new Set(['GET', 'HEAD']);
// Headers a widget may need to read: Retry-After on 503/429 and the rate-limit budget.
const EXPOSED_HEADERS = 'Retry-After, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset';
// One day: the policy only changes with a release; Chromium caps the cache at two hours anyway.
const PREFLIGHT_MAX_AGE_SECONDS = 86_400;

function answerPreflight(request: FastifyRequest, reply: FastifyReply) {
  const method = String(request.headers['access-control-request-method'] ?? '').toUpperCase();
  const extraHeaders = String(request.headers['access-control-request-headers'] ?? '').trim();
  if (READ_METHODS.has(method) && extraHeaders === '') {
    reply
      .header('access-control-allow-origin', '*')
      .header('access-control-allow-methods', 'GET, HEAD')
      .header('access-control-max-age', String(PREFLIGHT_MAX_AGE_SECONDS));
  }
  return reply.status(204).send();
}

async function cors(app: FastifyInstance) {
  app.options('/*', { schema: { hide: true } }, async (request, reply) => answerPreflight(request, reply));
  app.addHook('onSend', async (request, reply) => {
    // Set whether or not the request names an Origin, so a cache never hands a widget a copy
    // without it. An authenticated read is the token holder's, not a widget's; browsers could not
    // send the token cross-origin anyway (the preflight refuses the Authorization header).
    if (!READ_METHODS.has(request.method) || request.headers.authorization !== undefined) return;
    reply.header('access-control-allow-origin', '*').header('access-control-expose-headers', EXPOSED_HEADERS);
  });
}

export default fp(cors, { name: 'cors' });
