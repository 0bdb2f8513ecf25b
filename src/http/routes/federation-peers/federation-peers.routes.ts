import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { HubContext } from '../../../domain/context';
import { addPeer, changePeer, listPeers, pausePeer, resumePeer, revokePeer, syncPeer } from '../../../domain/federation/peers.service';
import { bearer, ProblemSchema, writeErrors } from '../../schemas/common';
import { discardQuarantined, listQuarantine, releaseQuarantined } from '../../../domain/federation/quarantine.service';
import { AddPeerBody, PeerList, PeerParams, PeerPreview, PeerSchema, PeerSettingsBody, PeerStored, QuarantineDecision, QuarantineList, QuarantineParams, SyncQueued } from './federation-peers.schemas';

const readErrors = { 401: ProblemSchema, 403: ProblemSchema };
const access = "The hub's admin token.";

/** Peer administration (admin): the allow-list of hubs we pull from and serve. Only with HUB_FEDERATION on. */
export default async function federationPeerRoutes(base: FastifyInstance, { hub }: { hub: HubContext }) {
  if (!hub.federationKeys) return;
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['federation-peers'];

  app.post('/v1/federation/peers', {
    schema: {
      operationId: 'addFederationPeer',
      tags,
      summary: "Add a peer: without `pin` a preview of its descriptor and key thumbprints; with `pin` the peer is stored and those keys pinned",
      description: `${access} Peer hinzufügen: erst Fingerabdrücke prüfen, dann mit pin bestätigen.`,
      security: bearer,
      body: AddPeerBody,
      response: { 200: PeerPreview, 201: PeerStored, ...writeErrors },
    },
  }, async (request, reply) => {
    const result = await addPeer(request.principal, hub, request.body);
    return result.stored ? reply.status(201).send(result) : reply.status(200).send(result);
  });

  app.get('/v1/federation/peers', {
    schema: { operationId: 'listFederationPeers', tags, summary: 'Peers with their state: status, keys, last success, failures, counters', description: access, security: bearer, response: { 200: PeerList, ...readErrors } },
  }, async (request) => ({ items: await listPeers(request.principal, hub) }));

  app.patch('/v1/federation/peers/:id', {
    schema: {
      operationId: 'updateFederationPeer',
      tags,
      summary: 'Change what a peer may do: scopes, relay origins, types, pulling and serving',
      description: access,
      security: bearer,
      params: PeerParams,
      body: PeerSettingsBody,
      response: { 200: PeerSchema, ...writeErrors },
    },
  }, async (request) => changePeer(request.principal, hub, request.params.id, request.body));

  for (const [action, run, summary] of [
    ['pause', pausePeer, 'Pause a peer: it is not pulled until resumed'],
    ['resume', resumePeer, 'Resume a paused, degraded or quarantined peer'],
    ['revoke', revokePeer, 'Revoke a peer: its signatures are refused from now on'],
  ] as const) {
    app.post(`/v1/federation/peers/:id/${action}`, {
      schema: { operationId: `${action}FederationPeer`, tags, summary, description: access, security: bearer, params: PeerParams, response: { 200: PeerSchema, ...writeErrors } },
    }, async (request) => run(request.principal, hub, request.params.id));
  }

  app.get('/v1/federation/peers/:id/quarantine', {
    schema: { operationId: 'listFederationQuarantine', tags, summary: "A peer's held entries (newest first, at most 200) and why each was held", description: access, security: bearer, params: PeerParams, response: { 200: QuarantineList, ...readErrors, 404: ProblemSchema } },
  }, async (request) => ({ items: await listQuarantine(request.principal, hub, request.params.id) }));

  app.post('/v1/federation/peers/:id/quarantine/:entryId/release', {
    schema: {
      operationId: 'releaseFederationQuarantine',
      tags,
      summary: 'Release a held entry: a mass delete held back by a resync is applied (the whole batch); an entry that failed a check is refused with 409 (fix the cause and sync, or discard)',
      description: access,
      security: bearer,
      params: QuarantineParams,
      response: { 200: QuarantineDecision, ...writeErrors },
    },
  }, async (request) => releaseQuarantined(request.principal, hub, request.params.id, request.params.entryId));

  app.post('/v1/federation/peers/:id/quarantine/:entryId/discard', {
    schema: { operationId: 'discardFederationQuarantine', tags, summary: 'Discard a held entry for good', description: access, security: bearer, params: QuarantineParams, response: { 200: QuarantineDecision, ...writeErrors } },
  }, async (request) => discardQuarantined(request.principal, hub, request.params.id, request.params.entryId));

  app.post('/v1/federation/peers/:id/sync', {
    schema: { operationId: 'syncFederationPeer', tags, summary: 'Sync now: queue one (deduplicated) pull of the peer', description: access, security: bearer, params: PeerParams, response: { 202: SyncQueued, ...writeErrors, 503: ProblemSchema } },
  }, async (request, reply) => reply.status(202).send(await syncPeer(request.principal, hub, request.params.id)));
}
