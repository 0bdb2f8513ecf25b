import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type, type TSchema } from 'typebox';
import type { HubContext } from '../../../domain/context';
import { requestDiscovery } from '../../../domain/crawl/crawl-requests.service';
import { putWebhookSecret, receiveGiteaHook, type HookResult, receiveGithubHook, receiveGitlabHook } from '../../../domain/crawl/webhooks.service';
import { bearer, IdParams, ProblemSchema, writeErrors } from '../../schemas/common';
import { DiscoverBody, GiteaHookHeaders, GithubHookHeaders, GitlabHookHeaders, HookAccepted, JobQueued, WebhookSecretBody } from './hooks.schemas';

/** 200 for a replay: a success to every forge, so none retries it, and distinct from the 202 of a queued crawl. */
const hookStatus = (result: HookResult) => (result.duplicate ? 200 : 202);

/** Incoming forge webhooks, and the organisation settings they depend on. */
export default async function hookRoutes(base: FastifyInstance, { hub }: { hub: HubContext }) {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();

  // Signatures are computed over the exact bytes sent: keep the raw body in this plugin's scope.
  await app.register(async (hooks) => {
    // GitHub posts JSON or, as its default, a form with the JSON in a `payload` field.
    hooks.removeContentTypeParser(['application/json']);
    hooks.addContentTypeParser(['application/json', 'application/x-www-form-urlencoded'], { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
    const typed = hooks.withTypeProvider<TypeBoxTypeProvider>();
    const schema = <H extends TSchema>(operationId: string, summary: string, headers: H) => ({
      operationId,
      tags: ['webhooks'],
      summary,
      headers,
      response: { 200: HookAccepted, 202: HookAccepted, 400: ProblemSchema, 401: ProblemSchema, 413: ProblemSchema },
    });

    typed.post('/v1/hooks/github', { schema: schema('receiveGithubWebhook', 'GitHub webhook (push, tag, release; JSON or form content type): queues a crawl of the repository', GithubHookHeaders) }, async (request, reply) => {
      const result = await receiveGithubHook(hub, {
        event: request.headers['x-github-event'],
        signature: request.headers['x-hub-signature-256'],
        body: request.body as Buffer,
        contentType: request.headers['content-type'],
        deliveryId: request.headers['x-github-delivery'],
      });
      return reply.status(hookStatus(result)).send(result);
    });

    typed.post('/v1/hooks/gitea', { schema: schema('receiveGiteaWebhook', 'Gitea or Forgejo webhook (push, tag, release): queues a crawl of the repository', GiteaHookHeaders) }, async (request, reply) => {
      const result = await receiveGiteaHook(hub, {
        event: request.headers['x-gitea-event'] ?? request.headers['x-forgejo-event'],
        signature: request.headers['x-gitea-signature'] ?? request.headers['x-forgejo-signature'],
        body: request.body as Buffer,
        deliveryId: request.headers['x-gitea-delivery'] ?? request.headers['x-forgejo-delivery'],
      });
      return reply.status(hookStatus(result)).send(result);
    });

    typed.post('/v1/hooks/gitlab', { schema: schema('receiveGitlabWebhook', 'GitLab webhook (push, tag push, release): queues a crawl of the project', GitlabHookHeaders) }, async (request, reply) => {
      const result = await receiveGitlabHook(hub, {
        event: request.headers['x-gitlab-event'],
        token: request.headers['x-gitlab-token'],
        body: request.body as Buffer,
        deliveryId: request.headers['x-gitlab-event-uuid'],
      });
      return reply.status(hookStatus(result)).send(result);
    });
  });

  app.put('/v1/organisations/:id/webhook-secret', {
    schema: {
      operationId: 'setOrganisationWebhookSecret',
      tags: ['organisations', 'webhooks'],
      summary: 'Set the secret that authenticates the organisation\'s webhooks (admin)',
      security: bearer,
      params: IdParams,
      body: WebhookSecretBody,
      response: { 204: Type.Null(), ...writeErrors },
    },
  }, async (request, reply) => {
    await putWebhookSecret(hub, request.principal, request.params.id, request.body.secret);
    return reply.status(204).send(null);
  });

  app.post('/v1/organisations/:id/discover', {
    schema: {
      operationId: 'discoverOrganisationRepositories',
      tags: ['organisations', 'repositories'],
      summary: 'List the organisation\'s code-hosting accounts and register their public repositories (queued)',
      security: bearer,
      params: IdParams,
      body: DiscoverBody,
      response: { 202: JobQueued, ...writeErrors, 503: ProblemSchema },
    },
  }, async (request, reply) => {
    const queued = await requestDiscovery(hub, request.principal, request.params.id, request.body.onlyWithPubliccode);
    return reply.status(202).send(queued);
  });
}
