import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { HubContext } from '../../../domain/context';
import { listSubscriptionDeliveries, ping, redeliver } from '../../../domain/webhooks/deliveries.service';
import {
  changeSubscription,
  createSubscription,
  getSubscription,
  listOrganisationSubscriptions,
  removeSubscription,
  rotateSecret,
} from '../../../domain/webhooks/subscriptions.service';
import { bearer, IdParams, ProblemSchema, writeErrors } from '../../schemas/common';
import {
  CreateSubscriptionBody,
  DeliveriesQuery,
  DeliveryPage,
  DeliveryParams,
  Queued,
  Subscription,
  SubscriptionList,
  SubscriptionParams,
  SubscriptionWithSecret,
  UpdateSubscriptionBody,
} from './webhooks.schemas';

const readErrors = { 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };
const access = 'A token of the organisation with the publish or reuse scope (a reuse token only for release.published and need.matched), or the hub admin.';

export default async function webhookRoutes(base: FastifyInstance, { hub }: { hub: HubContext }) {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['outgoing-webhooks'];

  app.post('/v1/organisations/:id/webhooks', {
    schema: {
      operationId: 'createWebhook',
      tags,
      summary: 'Subscribe an endpoint to events; the signing secret is returned once',
      description: `${access} Messages follow Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature).`,
      security: bearer,
      params: IdParams,
      body: CreateSubscriptionBody,
      response: { 201: SubscriptionWithSecret, ...writeErrors, 503: ProblemSchema },
    },
  }, async (request, reply) =>
    reply.status(201).send(await createSubscription(hub, request.principal, { organisation: request.params.id, ...request.body })));

  app.get('/v1/organisations/:id/webhooks', {
    schema: { operationId: 'listWebhooks', tags, summary: "The organisation's webhook subscriptions", description: access, security: bearer, params: IdParams, response: { 200: SubscriptionList, ...readErrors } },
  }, async (request) => ({ items: await listOrganisationSubscriptions(hub, request.principal, request.params.id) }));

  app.get('/v1/webhooks/:id', {
    schema: { operationId: 'getWebhook', tags, summary: 'One webhook subscription (without its secret)', security: bearer, params: SubscriptionParams, response: { 200: Subscription, ...readErrors } },
  }, async (request) => getSubscription(hub, request.principal, request.params.id));

  app.patch('/v1/webhooks/:id', {
    schema: {
      operationId: 'updateWebhook',
      tags,
      summary: 'Change URL, events, software filter or description; state "active" enables a disabled subscription',
      security: bearer,
      params: SubscriptionParams,
      body: UpdateSubscriptionBody,
      response: { 200: Subscription, ...writeErrors },
    },
  }, async (request) => changeSubscription(hub, request.principal, request.params.id, request.body));

  app.delete('/v1/webhooks/:id', {
    schema: { operationId: 'deleteWebhook', tags, summary: 'Delete a subscription with its delivery log', security: bearer, params: SubscriptionParams, response: { 204: Type.Null(), ...writeErrors } },
  }, async (request, reply) => {
    await removeSubscription(hub, request.principal, request.params.id);
    return reply.status(204).send(null);
  });

  app.post('/v1/webhooks/:id/rotate-secret', {
    schema: {
      operationId: 'rotateWebhookSecret',
      tags,
      summary: 'Replace the signing secret; the new one is returned once, the old one keeps signing during the overlap',
      description: 'During the overlap (HUB_WEBHOOK_SECRET_OVERLAP_HOURS, 24 by default) every message carries two signatures: the new secret\'s and the old one\'s.',
      security: bearer,
      params: SubscriptionParams,
      response: { 200: SubscriptionWithSecret, ...writeErrors, 503: ProblemSchema },
    },
  }, async (request) => rotateSecret(hub, request.principal, request.params.id));

  app.get('/v1/webhooks/:id/deliveries', {
    schema: {
      operationId: 'listWebhookDeliveries',
      tags,
      summary: 'The delivery log: every delivery, newest first, with its attempts (status, duration, response excerpt, error)',
      security: bearer,
      params: SubscriptionParams,
      querystring: DeliveriesQuery,
      response: { 200: DeliveryPage, 400: ProblemSchema, ...readErrors },
    },
  }, async (request) => listSubscriptionDeliveries(hub, request.principal, request.params.id, { cursor: request.query.cursor, limit: request.query.limit ?? 20 }));

  app.post('/v1/webhooks/:id/deliveries/:deliveryId/redeliver', {
    schema: {
      operationId: 'redeliverWebhook',
      tags,
      summary: 'Send a delivery again with a fresh retry budget (same webhook-id)',
      security: bearer,
      params: DeliveryParams,
      response: { 202: Queued, ...writeErrors, 503: ProblemSchema },
    },
  }, async (request, reply) => reply.status(202).send(await redeliver(hub, request.principal, { subscription: request.params.id, deliveryId: request.params.deliveryId })));

  app.post('/v1/webhooks/:id/ping', {
    schema: {
      operationId: 'pingWebhook',
      tags,
      summary: 'Send a signed webhook.ping to this endpoint; its outcome appears in the delivery log',
      security: bearer,
      params: SubscriptionParams,
      response: { 202: Queued, ...writeErrors, 503: ProblemSchema },
    },
  }, async (request, reply) => reply.status(202).send(await ping(hub, request.principal, request.params.id)));
}
