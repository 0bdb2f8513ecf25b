import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { HubContext } from '../../../domain/context';
import {
  createOrganisation,
  getOrganisation,
  listOrganisationsPage,
  updateOrganisationById,
} from '../../../domain/catalogue/organisations.service';
import { publicLink } from '../../../lib/public-url';
import { bearer, IdParams, ProblemSchema, writeErrors } from '../../schemas/common';
import {
  CreateOrganisationBody,
  ListOrganisationsQuery,
  Organisation,
  OrganisationPage,
  UpdateOrganisationBody,
} from './organisations.schemas';

export default async function organisationRoutes(base: FastifyInstance, { hub }: { hub: HubContext }) {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['organisations'];

  app.get('/v1/organisations', {
    schema: {
      operationId: 'listOrganisations',
      tags,
      summary: 'List organisations',
      querystring: ListOrganisationsQuery,
      response: { 200: OrganisationPage, 400: ProblemSchema },
    },
  }, async (request) => listOrganisationsPage(hub.db, { ...request.query, limit: request.query.limit ?? 20 }));

  app.get('/v1/organisations/:id', {
    schema: {
      operationId: 'getOrganisation',
      tags,
      summary: 'Get an organisation by id or slug',
      params: IdParams,
      response: { 200: Organisation, 404: ProblemSchema },
    },
  }, async (request) => getOrganisation(hub.db, request.params.id));

  app.post('/v1/organisations', {
    schema: {
      operationId: 'createOrganisation',
      tags,
      summary: 'Create an organisation (admin)',
      security: bearer,
      body: CreateOrganisationBody,
      response: { 201: Organisation, ...writeErrors },
    },
  }, async (request, reply) => {
    const created = await createOrganisation(hub.db, request.principal, request.body);
    return reply.status(201).header('location', publicLink(hub.config.publicUrl, `/v1/organisations/${created.id}`)).send(created);
  });

  app.patch('/v1/organisations/:id', {
    schema: {
      operationId: 'updateOrganisation',
      tags,
      summary: 'Update an organisation (admin, or a publish token of the organisation)',
      security: bearer,
      params: IdParams,
      body: UpdateOrganisationBody,
      response: { 200: Organisation, ...writeErrors },
    },
  }, async (request) => updateOrganisationById(hub.db, request.principal, request.params.id, request.body));
}
