import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { HubContext } from '../../../domain/context';
import {
  createSoftware,
  deactivateSoftware,
  getSoftware,
  listSoftwarePage,
  updateSoftwareById,
} from '../../../domain/catalogue/software.service';
import { publicLink } from '../../../lib/public-url';
import { bearer, IdParams, ProblemSchema, writeErrors } from '../../schemas/common';
import { CreateSoftwareBody, ListSoftwareQuery, SoftwareDetail, SoftwarePage, UpdateSoftwareBody } from './software.schemas';

export default async function softwareRoutes(base: FastifyInstance, { hub }: { hub: HubContext }) {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['software'];

  app.get('/v1/software', {
    schema: {
      operationId: 'listSoftware',
      tags,
      summary: 'List and search software (active entries), with facet filters and counts',
      querystring: ListSoftwareQuery,
      response: { 200: SoftwarePage, 400: ProblemSchema },
    },
  }, async (request) => listSoftwarePage(hub, { ...request.query, limit: request.query.limit ?? 20 }));

  app.get('/v1/software/:id', {
    schema: {
      operationId: 'getSoftware',
      tags,
      summary: 'Get a software entry by id or slug, with README and publiccode.yml',
      params: IdParams,
      response: { 200: SoftwareDetail, 404: ProblemSchema },
    },
  }, async (request) => getSoftware(hub.db, request.params.id));

  app.post('/v1/software', {
    schema: {
      operationId: 'createSoftware',
      tags,
      summary: 'Create a software entry (publish token of the publishing organisation)',
      security: bearer,
      body: CreateSoftwareBody,
      response: { 201: SoftwareDetail, ...writeErrors },
    },
  }, async (request, reply) => {
    const created = await createSoftware(hub.db, request.principal, request.body);
    return reply.status(201).header('location', publicLink(hub.config.publicUrl, `/v1/software/${created.id}`)).send(created);
  });

  app.patch('/v1/software/:id', {
    schema: {
      operationId: 'updateSoftware',
      tags,
      summary: 'Update a software entry (publish token of the publishing organisation)',
      security: bearer,
      params: IdParams,
      body: UpdateSoftwareBody,
      response: { 200: SoftwareDetail, ...writeErrors },
    },
  }, async (request) => updateSoftwareById(hub.db, request.principal, request.params.id, request.body));

  app.delete('/v1/software/:id', {
    schema: {
      operationId: 'deactivateSoftware',
      tags,
      summary: 'Deactivate a software entry (kept for links and reuse records, hidden from lists)',
      security: bearer,
      params: IdParams,
      response: { 204: Type.Null(), ...writeErrors },
    },
  }, async (request, reply) => {
    await deactivateSoftware(hub.db, request.principal, request.params.id);
    return reply.status(204).send(null);
  });
}
