import type { FastifyInstance } from 'fastify';

/**
 * German paths a German visitor may type or say aloud ("transferhub…/suche"), answered with a
 * permanent redirect to the page's one address. The pages keep their English paths (as the API's
 * resources are named, and as every link, bookmark and test already uses them): one canonical URL
 * per page, the German words only as ways in. The query string goes along (`/suche?q=Karte`).
 */
export const GERMAN_PATHS: Record<string, string> = {
  '/suche': '/search',
  '/software': '/search',
  '/programm': '/programme',
  '/modellprojekte': '/programme',
  '/bedarfe': '/needs',
  '/bedarfe/neu': '/needs/new',
  '/anmelden': '/sign-in',
  '/ueber': '/about',
  '/über': '/about',
  '/repositorien/neu': '/repositories/new',
};

export default async function pathAliases(app: FastifyInstance) {
  for (const [alias, target] of Object.entries(GERMAN_PATHS)) {
    app.get(alias, { schema: { hide: true } }, async (request, reply) => {
      const query = request.url.indexOf('?');
      return reply.redirect(query === -1 ? target : target + request.url.slice(query), 301);
    });
  }
  // An organisation's page under the German word, the slug kept.
  app.get<{ Params: { slug: string } }>('/organisationen/:slug', { schema: { hide: true } }, async (request, reply) =>
    reply.redirect(`/organisations/${encodeURIComponent(request.params.slug)}`, 301),
  );
}
