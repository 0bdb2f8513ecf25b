import type { FastifyInstance, FastifyReply } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { HubContext } from '../../../domain/context';
import { releasesFeed, softwareFeed, type FeedAnswer } from '../../../domain/exports/feeds.service';
import { IdParams, ProblemSchema } from '../../schemas/common';
import { textAnswer } from '../exports/exports.schemas';
import { FeedQuery } from './feeds.schemas';

const ATOM = 'application/atom+xml';
const atomAnswer = { 200: textAnswer(ATOM, 'Atom feed (RFC 4287); paging links (RFC 5005) in the Link header'), 400: ProblemSchema };

function sendFeed(reply: FastifyReply, answer: FeedAnswer) {
  reply.header('link', answer.links.map((l) => `<${l.href}>; rel="${l.rel}"`).join(', '));
  return reply.type(`${ATOM}; charset=utf-8`).send(answer.xml);
}

/** Atom feeds for feed readers and chat or ticket integrations that poll. Public GETs. */
export default async function feedRoutes(base: FastifyInstance, { hub }: { hub: HubContext }) {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['exports'];

  app.get('/v1/feeds/software.atom', {
    schema: { operationId: 'feedSoftware', tags, summary: 'Atom feed of new and updated software', description: 'Neue und geänderte Software als Atom-Feed.', querystring: FeedQuery, response: atomAnswer },
  }, async (request, reply) => sendFeed(reply, await softwareFeed(hub.db, hub.config.publicUrl, request.query)));

  app.get('/v1/feeds/releases.atom', {
    schema: { operationId: 'feedReleases', tags, summary: 'Atom feed of all releases', description: 'Alle neuen Releases als Atom-Feed.', querystring: FeedQuery, response: atomAnswer },
  }, async (request, reply) => sendFeed(reply, await releasesFeed(hub.db, hub.config.publicUrl, { kind: 'all' }, request.query)));

  app.get('/v1/organisations/:id/releases.atom', {
    schema: {
      operationId: 'feedOrganisationReleases', tags, summary: 'Atom feed of the releases of an organisation’s software',
      description: 'Releases der Software einer Organisation als Atom-Feed.', params: IdParams, querystring: FeedQuery, response: { ...atomAnswer, 404: ProblemSchema },
    },
  }, async (request, reply) => sendFeed(reply, await releasesFeed(hub.db, hub.config.publicUrl, { kind: 'organisation', id: request.params.id }, request.query)));

  app.get('/v1/software/:id/releases.atom', {
    schema: {
      operationId: 'feedSoftwareReleases', tags, summary: 'Atom feed of the releases of one software',
      description: 'Releases einer Software als Atom-Feed.', params: IdParams, querystring: FeedQuery, response: { ...atomAnswer, 404: ProblemSchema },
    },
  }, async (request, reply) => sendFeed(reply, await releasesFeed(hub.db, hub.config.publicUrl, { kind: 'software', id: request.params.id }, request.query)));
}
