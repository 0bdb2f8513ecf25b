import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { publicBase } from '../../lib/public-url';

export const API_VERSION = '0.1.0';

/**
 * Swagger UI loads its scripts, styles and images from /docs/static on the hub itself (no CDN)
 * and fetches the document from /docs/json. It writes style attributes into rendered Markdown
 * (table alignment), hence 'unsafe-inline' for styles only; its CSS embeds icons as data: URIs.
 * "Try it out" calls the API: the hub's own origin, or the public address behind a proxy.
 */
function docsPolicy(publicUrl: string | null): string {
  const api = publicUrl ? ` ${new URL(publicUrl).origin}` : '';
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src 'self'${api}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The OpenAPI 3.1 document is generated from the route schemas; nothing is written by hand. */
async function openapiPlugin(app: FastifyInstance, options: { publicUrl: string | null }) {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      // Behind a proxy (under a path, too) the docs UI and generated clients must call the public
      // address; without one, OpenAPI's default (the address the document came from) is right.
      ...(options.publicUrl ? { servers: [{ url: publicBase(options.publicUrl) }] } : {}),
      info: {
        title: 'transferhub API',
        version: API_VERSION,
        description:
          'Registry of open-source software of German municipalities (Modellprojekte Smart Cities): ' +
          'organisations, software, repositories, releases and reuse records. ' +
          'Register der Open-Source-Software der Kommunen: Organisationen, Software, Repositorien, Releases und Nachnutzung.',
        license: { name: 'EUPL-1.2', identifier: 'EUPL-1.2' },
      },
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', description: 'An API token of an organisation, or the admin token.' },
          httpSignature: {
            type: 'apiKey',
            in: 'header',
            name: 'Signature',
            description:
              'RFC 9421 HTTP Message Signature (label `hub`, alg ed25519, tag transferhub-federation/v1) by a key pinned for a known peer, ' +
              'covering @method, @target-uri, @authority (and content-digest and a nonce on POST); see Signature-Input.',
          },
        },
      },
      tags: [
        { name: 'system', description: 'Liveness and readiness' },
        { name: 'organisations', description: 'Municipalities, counties, associations, companies' },
        { name: 'software', description: 'Catalogue entries' },
        { name: 'repositories', description: 'Git repositories and their crawl state' },
        { name: 'releases', description: 'Releases found by the crawler or pushed by CI' },
        { name: 'reuse', description: 'Who runs which software: reuse records, their history and the producer confirmation' },
        { name: 'experience', description: 'Experience reports (Erfahrungsberichte) of reusing organisations and their aggregates' },
        { name: 'needs', description: 'Needs (Bedarfe) of organisations and the existing software matching them' },
        { name: 'tokens', description: 'API tokens of organisations' },
        { name: 'tools', description: 'Validators maintainers can run before they publish' },
        { name: 'search', description: 'Suggestions while typing a search' },
        { name: 'webhooks', description: 'Forge webhooks (GitHub, GitLab) that queue crawls' },
        { name: 'outgoing-webhooks', description: 'Subscriptions that send events to your endpoints (Standard Webhooks), with a delivery log' },
        { name: 'audit', description: 'The audit log of every write' },
        { name: 'exports', description: 'publiccode.yml, DCAT-AP catalogue, repository list, Atom feeds and badges (public)' },
        { name: 'transfer-package', description: 'What another municipality needs besides the code (Nachnutzungspaket)' },
        { name: 'programmes', description: 'Funding-obligation reports per programme (MPSC)' },
      ],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: docsPolicy(options.publicUrl) });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}

export default fp(openapiPlugin, { name: 'openapi' });
