import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { HubContext } from '../../../domain/context';
import { changeNeed, getNeed, joinNeed, leaveNeed, listNeedsPage, postNeed } from '../../../domain/needs/needs.service';
import { bearer, ProblemSchema, writeErrors } from '../../schemas/common';
import { JoinNeedBody, ListNeedsQuery, Need, NeedList, NeedParams, PostNeedBody, SupporterParams, UpdateNeedBody } from './needs.schemas';

export default async function needRoutes(base: FastifyInstance, { hub }: { hub: HubContext }) {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['needs'];

  app.get('/v1/needs', {
    schema: {
      operationId: 'listNeeds',
      tags,
      summary: 'Needs (Bedarfe) of organisations, newest first; filter by status, category, organisation, words',
      querystring: ListNeedsQuery,
      response: { 200: NeedList, 400: ProblemSchema },
    },
  }, async (request) => listNeedsPage(hub.db, { ...request.query, limit: request.query.limit ?? 20 }));

  app.get('/v1/needs/:id', {
    schema: {
      operationId: 'getNeed',
      tags,
      summary: 'A need with its supporters and the best-matching existing software (with the match explanation and who reuses it)',
      params: NeedParams,
      response: { 200: Need, 404: ProblemSchema },
    },
  }, async (request) => getNeed(hub.db, request.params.id));

  app.post('/v1/needs', {
    schema: {
      operationId: 'postNeed',
      tags,
      summary: "Post your organisation's need (publish or reuse token); the hub attaches matching software shortly after",
      security: bearer,
      body: PostNeedBody,
      response: { 201: Need, ...writeErrors },
    },
  }, async (request, reply) => reply.status(201).send(await postNeed(hub, request.principal, request.body)));

  app.patch('/v1/needs/:id', {
    schema: {
      operationId: 'updateNeed',
      tags,
      summary: "Change your organisation's need or its status (publish or reuse token of the posting organisation)",
      security: bearer,
      params: NeedParams,
      body: UpdateNeedBody,
      response: { 200: Need, ...writeErrors },
    },
  }, async (request) => changeNeed(hub, request.principal, request.params.id, request.body));

  app.post('/v1/needs/:id/supporters', {
    schema: {
      operationId: 'joinNeed',
      tags,
      summary: '"We need this too": your organisation joins the need (publish or reuse token)',
      security: bearer,
      params: NeedParams,
      body: JoinNeedBody,
      response: { 201: Need, ...writeErrors },
    },
  }, async (request, reply) =>
    reply.status(201).send(await joinNeed(hub.db, request.principal, { need: request.params.id, organisationId: request.body.organisationId })));

  app.delete('/v1/needs/:id/supporters/:organisationId', {
    schema: {
      operationId: 'leaveNeed',
      tags,
      summary: 'Your organisation leaves a need it joined',
      security: bearer,
      params: SupporterParams,
      response: { 204: Type.Null(), ...writeErrors },
    },
  }, async (request, reply) => {
    await leaveNeed(hub.db, request.principal, { need: request.params.id, organisationId: request.params.organisationId });
    return reply.status(204).send(null);
  });
}
