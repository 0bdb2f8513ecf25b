import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { HubContext } from '../../../domain/context';
import { softwareBadge } from '../../../domain/exports/badges.service';
import { IdParams, ProblemSchema } from '../../schemas/common';
import { textAnswer } from '../exports/exports.schemas';
import { BadgeQuery } from './badges.schemas';

/**
 * Five minutes: a badge changes with a crawl or an edit, which a README visitor may see a little
 * late; GitHub's image proxy and browsers then revalidate with If-None-Match (a 304, no body).
 */
const BADGE_MAX_AGE_SECONDS = 300;

/** If-None-Match names the ETag (a list, weak or strong, or `*`). */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((tag) => {
    const value = tag.trim();
    return value === '*' || value.replace(/^W\//, '') === etag;
  });
}

export default async function badgeRoutes(base: FastifyInstance, { hub }: { hub: HubContext }) {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();

  app.get('/v1/software/:id/badge.svg', {
    schema: {
      operationId: 'softwareBadge',
      tags: ['exports'],
      summary: 'A README badge (SVG) of an entry: licence, reuse, publiccode.yml or maintenance',
      description: 'Ein Badge für die README: Lizenz, Nachnutzung, publiccode.yml oder Wartung, mit deutscher oder englischer Beschriftung. Cacheable (ETag, 304).',
      params: IdParams,
      querystring: BadgeQuery,
      response: { 200: textAnswer('image/svg+xml', 'shields-style SVG badge'), 304: { description: 'Not modified (If-None-Match)', type: 'null' }, 400: ProblemSchema, 404: ProblemSchema },
    },
  }, async (request, reply) => {
    const { svg, etag } = await softwareBadge(hub.db, request.params.id, request.query.kind, request.query.lang);
    reply.header('etag', etag).header('cache-control', `public, max-age=${BADGE_MAX_AGE_SECONDS}`);
    if (matches(request.headers['if-none-match'], etag)) return reply.status(304).send(null);
    return reply.type('image/svg+xml; charset=utf-8').send(svg);
  });
}
