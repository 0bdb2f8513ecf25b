import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * What every answer tells the browser (issue 10 #10). A small hook of our own rather than
 * @fastify/helmet: we need five fixed headers plus one rule that depends on the request
 * (no-store when a token was sent), and pages set their own Content-Security-Policy; helmet's
 * defaults would have to be switched off or overridden nearly one by one for that.
 *
 * The default policy suits what the API answers (JSON, plain text): it may load nothing, so a
 * JSON answer opened as a page runs nothing. Pages with content of their own (the start page,
 * /docs) set their policy before this hook runs, and it is kept.
 */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

async function securityHeaders(app: FastifyInstance) {
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    // A public body's pages send no visitor's path to the sites they link to.
    reply.header('referrer-policy', 'no-referrer');
    // Nothing of the hub is meant to be framed (widgets read the API, they do not embed pages);
    // X-Frame-Options for older browsers, frame-ancestors in the policy for current ones.
    reply.header('x-frame-options', 'DENY');
    if (!reply.hasHeader('content-security-policy')) reply.header('content-security-policy', API_CONTENT_SECURITY_POLICY);
    // An answer to a request with a token can hold what only that token may see (token lists,
    // the audit log, a new token's secret): no shared or browser cache keeps it.
    if (request.headers.authorization !== undefined) reply.header('cache-control', 'no-store');
  });
}

export default fp(securityHeaders, { name: 'security-headers' });
