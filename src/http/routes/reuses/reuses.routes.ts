import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { HubContext } from '../../../domain/context';
import {
  listOrganisationReuses,
  listSoftwareReuses,
  recordReuse,
  reuseHistory,
  updateReuseRecord,
  verifyReuse,
  withdrawReuse,
} from '../../../domain/reuse/reuse.service';
import { bearer, IdParams, ProblemSchema, writeErrors } from '../../schemas/common';
import { DisputeBody, RecordReuseBody, Reuse, ReuseHistory, ReuseList, ReuseListQuery, ReuseParams, UpdateReuseBody } from './reuses.schemas';

export default async function reuseRoutes(base: FastifyInstance, { hub }: { hub: HubContext }) {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['reuse'];

  app.get('/v1/software/:id/reuses', {
    schema: {
      operationId: 'listSoftwareReuses',
      tags,
      summary: 'Who reuses this software',
      params: IdParams,
      querystring: ReuseListQuery,
      response: { 200: ReuseList, 400: ProblemSchema, 404: ProblemSchema },
    },
  }, async (request) => ({ items: await listSoftwareReuses(hub.db, request.params.id, request.query) }));

  app.get('/v1/organisations/:id/reuses', {
    schema: {
      operationId: 'listOrganisationReuses',
      tags,
      summary: 'What this organisation reuses',
      params: IdParams,
      querystring: ReuseListQuery,
      response: { 200: ReuseList, 400: ProblemSchema, 404: ProblemSchema },
    },
  }, async (request) => ({ items: await listOrganisationReuses(hub.db, request.params.id, request.query) }));

  app.post('/v1/software/:id/reuses', {
    schema: {
      operationId: 'recordReuse',
      tags,
      summary: 'Record that your organisation reuses this software (reuse token)',
      security: bearer,
      params: IdParams,
      body: RecordReuseBody,
      response: { 201: Reuse, ...writeErrors },
    },
  }, async (request, reply) => reply.status(201).send(await recordReuse(hub.db, request.principal, request.params.id, request.body)));

  app.patch('/v1/software/:id/reuses/:reuseId', {
    schema: {
      operationId: 'updateReuse',
      tags,
      summary: 'Update your own reuse record (reuse token of the reusing organisation)',
      security: bearer,
      params: ReuseParams,
      body: UpdateReuseBody,
      response: { 200: Reuse, ...writeErrors },
    },
  }, async (request) =>
    updateReuseRecord(hub.db, request.principal, { software: request.params.id, reuseId: request.params.reuseId, changes: request.body }));

  app.delete('/v1/software/:id/reuses/:reuseId', {
    schema: {
      operationId: 'withdrawReuse',
      tags,
      summary: 'Withdraw your own reuse record (kept and marked withdrawn; it counts nowhere). The producer cannot delete it',
      security: bearer,
      params: ReuseParams,
      response: { 204: Type.Null(), ...writeErrors },
    },
  }, async (request, reply) => {
    await withdrawReuse(hub.db, request.principal, { software: request.params.id, reuseId: request.params.reuseId });
    return reply.status(204).send(null);
  });

  app.get('/v1/software/:id/reuses/:reuseId/history', {
    schema: {
      operationId: 'getReuseHistory',
      tags,
      summary: 'Every status change, confirmation, dispute and withdrawal of a reuse record, with its date',
      params: ReuseParams,
      response: { 200: ReuseHistory, 404: ProblemSchema },
    },
  }, async (request) => reuseHistory(hub.db, { software: request.params.id, reuseId: request.params.reuseId }));

  app.post('/v1/software/:id/reuses/:reuseId/confirmation', {
    schema: {
      operationId: 'confirmReuse',
      tags,
      summary: "Confirm a reuse of your software (publish token of the software's owner)",
      security: bearer,
      params: ReuseParams,
      response: { 200: Reuse, ...writeErrors },
    },
  }, async (request) => verifyReuse(hub.db, request.principal, { software: request.params.id, reuseId: request.params.reuseId, verdict: 'confirmed' }));

  app.post('/v1/software/:id/reuses/:reuseId/dispute', {
    schema: {
      operationId: 'disputeReuse',
      tags,
      summary: "Dispute a reuse of your software with a reason (publish token of the software's owner); the dispute stays visible",
      security: bearer,
      params: ReuseParams,
      body: DisputeBody,
      response: { 200: Reuse, ...writeErrors },
    },
  }, async (request) =>
    verifyReuse(hub.db, request.principal, { software: request.params.id, reuseId: request.params.reuseId, verdict: 'disputed', reason: request.body.reason }));
}
