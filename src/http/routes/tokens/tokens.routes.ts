import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { HubContext } from '../../../domain/context';
import { createToken, listOrganisationTokens, revokeOrganisationToken } from '../../../domain/auth/tokens.service';
import { bearer, IdParams, writeErrors } from '../../schemas/common';
import { CreatedToken, CreateTokenBody, TokenList, TokenParams } from './tokens.schemas';

export default async function tokenRoutes(base: FastifyInstance, { hub }: { hub: HubContext }) {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['tokens'];

  app.post('/v1/organisations/:id/tokens', {
    schema: {
      operationId: 'createToken',
      tags,
      summary: 'Create an API token for an organisation (admin); the secret is returned once',
      description: 'Only the hub admin (HUB_ADMIN_TOKEN) creates tokens, with the scopes publish and reuse; the admin scope cannot be granted (400).',
      security: bearer,
      params: IdParams,
      body: CreateTokenBody,
      response: { 201: CreatedToken, ...writeErrors },
    },
  }, async (request, reply) =>
    reply.status(201).send(await createToken(hub.db, request.principal, { organisation: request.params.id, ...request.body })));

  app.get('/v1/organisations/:id/tokens', {
    schema: {
      operationId: 'listTokens',
      tags,
      summary: 'List the tokens of an organisation without their secrets (admin)',
      security: bearer,
      params: IdParams,
      response: { 200: TokenList, ...writeErrors },
    },
  }, async (request) => ({ items: await listOrganisationTokens(hub.db, request.principal, request.params.id) }));

  app.delete('/v1/organisations/:id/tokens/:tokenId', {
    schema: {
      operationId: 'revokeToken',
      tags,
      summary: 'Revoke a token (admin)',
      security: bearer,
      params: TokenParams,
      response: { 204: Type.Null(), ...writeErrors },
    },
  }, async (request, reply) => {
    await revokeOrganisationToken(hub.db, request.principal, { organisation: request.params.id, tokenId: request.params.tokenId });
    return reply.status(204).send(null);
  });
}
