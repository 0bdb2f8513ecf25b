import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { HubContext } from './domain/context';
import authPlugin from './http/plugins/auth';
import corsPlugin from './http/plugins/cors';
import securityHeaders from './http/plugins/security-headers';
import auditRoutes from './http/routes/audit/audit.routes';
import openapiPlugin from './http/plugins/openapi';
import metricsPlugin from './http/plugins/metrics';
import searchFreshness from './http/plugins/search-freshness';
import rateLimitsPlugin from './http/plugins/rate-limits';
import problemPlugin, { clientErrorProblem, frameworkErrorProblem } from './http/plugins/problem';
import healthRoutes from './http/routes/health/health.routes';
import exportRoutes from './http/routes/exports/exports.routes';
import badgeRoutes from './http/routes/badges/badges.routes';
import feedRoutes from './http/routes/feeds/feeds.routes';
import federationRoutes from './http/routes/federation/federation.routes';
import federationPeerRoutes from './http/routes/federation-peers/federation-peers.routes';
import hookRoutes from './http/routes/hooks/hooks.routes';
import organisationRoutes from './http/routes/organisations/organisations.routes';
import releaseRoutes from './http/routes/releases/releases.routes';
import repositoryRoutes from './http/routes/repositories/repositories.routes';
import reuseRoutes from './http/routes/reuses/reuses.routes';
import experienceRoutes from './http/routes/experience/experience.routes';
import needRoutes from './http/routes/needs/needs.routes';
import searchRoutes from './http/routes/search/search.routes';
import softwareRoutes from './http/routes/software/software.routes';
import tokenRoutes from './http/routes/tokens/tokens.routes';
import toolRoutes from './http/routes/tools/tools.routes';
import webhookRoutes from './http/routes/webhooks/webhooks.routes';
import transferPackageRoutes from './http/routes/transfer-package/transfer-package.routes';
import programmeRoutes from './http/routes/programmes/programmes.routes';
import { validatorCompiler } from './http/plugins/validators';
import { WEB_URL_FORMAT } from './lib/web-url';
import webPlugin, { pageNotFound } from './web/web.plugin';

/** Registers plugins and routes; never listens, so tests use inject(). */
export async function buildApp(hub: HubContext): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: hub.logger as FastifyBaseLogger,
    bodyLimit: hub.config.bodyLimit,
    // Ids and slugs are declared up to 200 characters; the router's default of 100 would answer 414 first.
    routerOptions: { maxParamLength: 200 },
    // Router errors (bad percent-encoding, over-long path parameters) as problem+json too.
    frameworkErrors: frameworkErrorProblem,
    // And what the HTTP parser rejects before routing (raw UTF-8 in the URL, oversized headers).
    clientErrorHandler: clientErrorProblem,
    // Behind a reverse proxy in production; request ids come from it when set.
    requestIdHeader: 'x-request-id',
    // The client address (rate limits) from X-Forwarded-For, only as far as the configured proxies are trusted.
    trustProxy: hub.config.trustProxy as FastifyServerOptions['trustProxy'],
    // The serializer's own ajv picks between anyOf branches of response schemas; it must know our
    // `web-url` format by name (the request validator checks it; an answer needs no check).
    serializerOpts: { ajv: { formats: { [WEB_URL_FORMAT]: true } } },
  });

  app.setValidatorCompiler(validatorCompiler);
  await app.register(problemPlugin, { notFoundPage: pageNotFound });
  // Before the docs and routes, so their encapsulated contexts (Swagger UI) inherit the hooks.
  await app.register(securityHeaders);
  await app.register(corsPlugin);
  await app.register(openapiPlugin, { publicUrl: hub.config.publicUrl });
  await app.register(rateLimitsPlugin, { hub });
  await app.register(authPlugin, { hub });
  await app.register(metricsPlugin, { hub });
  await app.register(searchFreshness, { hub });

  const routes = [healthRoutes, organisationRoutes, softwareRoutes, repositoryRoutes, releaseRoutes, reuseRoutes, experienceRoutes, needRoutes, tokenRoutes, toolRoutes, searchRoutes, hookRoutes, auditRoutes, exportRoutes, feedRoutes, badgeRoutes, webhookRoutes, transferPackageRoutes, programmeRoutes, federationRoutes, federationPeerRoutes];
  for (const route of routes) await app.register(route, { hub });
  // Pages for people (src/web), in a context of their own: helmet, cookies and forms stay there.
  await app.register(webPlugin, { hub });

  await app.ready();
  return app;
}
