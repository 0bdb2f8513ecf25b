import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { HubContext } from '../../../domain/context';
import { exportCatalog, type CatalogFormat } from '../../../domain/exports/catalog-export.service';
import { exportPubliccode } from '../../../domain/exports/publiccode.service';
import { exportRepositoryUrls } from '../../../domain/exports/repositories-export.service';
import { publicLink } from '../../../lib/public-url';
import { IdParams, ProblemSchema } from '../../schemas/common';
import { CatalogQuery, notFound, RepositoryListAnswer, textAnswer } from './exports.schemas';

// Harvesters page with ckanext-dcat's default page size.
const DEFAULT_CATALOG_PAGE = 100;

const CATALOG_FORMATS: { path: string; format: CatalogFormat; mediaType: string; operationId: string; label: string }[] = [
  { path: '/v1/catalog.ttl', format: 'turtle', mediaType: 'text/turtle', operationId: 'exportCatalogTurtle', label: 'Turtle' },
  { path: '/v1/catalog.jsonld', format: 'jsonld', mediaType: 'application/ld+json', operationId: 'exportCatalogJsonLd', label: 'JSON-LD' },
];

/** `/v1/catalog.ttl?limit=50&page=3`: the same query with another page number, absolute under HUB_PUBLIC_URL. */
function pageUrlOf(publicUrl: string | null, path: string, query: Record<string, unknown>) {
  return (page: number) => {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries({ ...query, page })) if (value !== undefined) params.set(key, String(value));
    return publicLink(publicUrl, `${path}?${params}`);
  };
}

/** Exports other tools read: publiccode.yml, DCAT-AP, repository lists, Atom feeds. Public GETs. */
export default async function exportRoutes(base: FastifyInstance, { hub }: { hub: HubContext }) {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['exports'];

  app.get('/v1/software/:id/publiccode.yml', {
    schema: {
      operationId: 'exportPubliccode',
      tags,
      summary: 'The entry as a publiccode.yml (crawled file merged with what the hub holds)',
      description: 'Die Software als publiccode.yml, gültig nach dem Validator des Hubs.',
      params: IdParams,
      response: { 200: textAnswer('application/yaml', 'publiccode.yml (YAML, UTF-8)'), ...notFound },
    },
  }, async (request, reply) => {
    const { slug, yaml } = await exportPubliccode(hub.db, request.params.id);
    return reply
      .type('application/yaml; charset=utf-8')
      .header('content-disposition', `inline; filename="${slug}.publiccode.yml"`)
      .send(yaml);
  });

  for (const { path, format, mediaType, operationId, label } of CATALOG_FORMATS) {
    app.get(path, {
      schema: {
        operationId,
        tags,
        summary: `The catalogue as DCAT-AP 3 (${label}), paged or streamed whole`,
        description: 'Der Katalog als DCAT-AP 3: jede Software eine dcat:Resource (auch schema:SoftwareSourceCode) mit dcat:CatalogRecord. ' +
          'With `page`/`limit`: one page and hydra paging (as ckanext-dcat) plus Link headers; without: every entry, streamed.',
        querystring: CatalogQuery,
        response: { 200: textAnswer(mediaType, `DCAT-AP 3 catalogue (${label})`), 400: ProblemSchema },
      },
    }, async (request, reply) => {
      const { page, limit, modified_since: modifiedSince } = request.query;
      const paged = page !== undefined || limit !== undefined;
      const perPage = limit ?? DEFAULT_CATALOG_PAGE;
      const answer = await exportCatalog(hub.db, hub.config.publicUrl, {
        format,
        page: paged ? (page ?? 1) : undefined,
        limit: perPage,
        modifiedSince: modifiedSince ? new Date(modifiedSince) : undefined,
        pageUrl: pageUrlOf(hub.config.publicUrl, path, { limit: perPage, modified_since: modifiedSince }),
      });
      if (answer.links.length) reply.header('link', answer.links.map((l) => `<${l.href}>; rel="${l.rel}"`).join(', '));
      return reply.type(`${mediaType}; charset=utf-8`).send(answer.body);
    });
  }

  app.get('/v1/export/repositories.json', {
    schema: {
      operationId: 'exportRepositoryUrls',
      tags,
      summary: 'Every repository URL of the catalogue ({"repositories":[{"url":…}]}), for other crawlers',
      description: 'Alle Repository-URLs des Katalogs, zum Einlesen durch andere Crawler. Streamed.',
      response: { 200: RepositoryListAnswer },
    },
  }, async (_request, reply) => reply.type('application/json; charset=utf-8').send(exportRepositoryUrls(hub.db)));
}
