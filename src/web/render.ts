import type { FastifyReply } from 'fastify';
import type { Html } from './html';

/** Pages may differ per visitor (session, language): no shared cache keeps them. */
export function sendPage(reply: FastifyReply, page: Html, status = 200) {
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'private, no-cache')
    .header('vary', 'cookie, accept-language')
    .send(page.value);
}

/** After a successful POST: the page to show next, by GET (no resubmission on reload). */
export function redirectAfterPost(reply: FastifyReply, location: string) {
  return reply.redirect(location, 303);
}
