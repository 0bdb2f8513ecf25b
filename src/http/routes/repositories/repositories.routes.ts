import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { HubContext } from '../../../domain/context';
import { requestCrawl } from '../../../domain/crawl/crawl-requests.service';
import { Type } from 'typebox';
import { getRepository, listRepositoriesPage, registerRepository, removeRepository } from '../../../domain/crawl/repositories.service';
import { bearer, ProblemSchema, writeErrors } from '../../schemas/common';
import { CrawlQueued, ListRepositoriesQuery, RegisterRepositoryBody, Repository, RepositoryPage, RepositoryParams } from './repositories.schemas';

export default async function repositoryRoutes(base: FastifyInstance, { hub }: { hub: HubContext }) {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['repositories'];

  app.post('/v1/repositories', {
    schema: {
      operationId: 'registerRepository',
      tags,
      summary: 'Register a git repository (publish token of the organisation); queues its crawl',
      security: bearer,
      body: RegisterRepositoryBody,
      response: { 202: Repository, ...writeErrors, 503: ProblemSchema },
    },
  }, async (request, reply) => {
    const { repository } = await registerRepository(hub, request.principal, request.body);
    return reply.status(202).send(repository);
  });

  app.get('/v1/repositories', {
    schema: {
      operationId: 'listRepositories',
      tags,
      summary: 'List repositories with their crawl state, by organisation, host (name or kind), crawl state (or paused) and URL',
      querystring: ListRepositoriesQuery,
      response: { 200: RepositoryPage, 400: ProblemSchema },
    },
  }, async (request) => listRepositoriesPage(hub, { ...request.query, limit: request.query.limit ?? 20 }));

  app.delete('/v1/repositories/:id', {
    schema: {
      operationId: 'removeRepository',
      tags,
      summary: 'Remove a repository (publish token of its organisation); its queued crawls end without effect',
      security: bearer,
      params: RepositoryParams,
      response: { 204: Type.Null(), ...writeErrors },
    },
  }, async (request, reply) => {
    await removeRepository(hub, request.principal, request.params.id);
    return reply.status(204).send(null);
  });

  app.get('/v1/repositories/:id', {
    schema: {
      operationId: 'getRepository',
      tags,
      summary: 'A repository with its crawl state and the last error in plain words',
      params: RepositoryParams,
      response: { 200: Repository, 404: ProblemSchema },
    },
  }, async (request) => getRepository(hub, request.params.id));

  app.post('/v1/repositories/:id/crawl', {
    schema: {
      operationId: 'crawlRepository',
      tags,
      summary: 'Queue a refresh of the repository (publish token of its organisation); deduplicated',
      security: bearer,
      params: RepositoryParams,
      response: { 202: CrawlQueued, ...writeErrors, 503: ProblemSchema },
    },
  }, async (request, reply) => reply.status(202).send(await requestCrawl(hub, request.principal, request.params.id)));
}
