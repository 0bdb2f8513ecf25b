import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Static } from 'typebox';
import type { HubContext } from '../../../domain/context';
import { FEDERATION_BASE_PATH, hubId } from '../../../domain/federation/descriptor';
import { changesHead, changesPage, describeHub, recordEntry, snapshotPage } from '../../../domain/federation/feed.service';
import { signResponse } from '../../../domain/federation/http-signatures';
import type { Jwk } from '../../../domain/federation/hub-keys';
import { notifyFromPeer, servedTypes } from '../../../domain/federation/notify.service';
import { authenticatePeer } from '../../../domain/federation/peer-auth';
import type { PeerRow } from '../../../db/queries/federation-peers.queries';
import type { FederatedType } from '../../../db/schema/federation';
import { ProblemSchema } from '../../schemas/common';
import {
  ChangesPageSchema,
  ChangesQuery,
  EntrySchema,
  HubDescriptorSchema,
  JwksSchema,
  NotifyAccepted,
  NotifyBody,
  RecordParams,
  SnapshotPageSchema,
  SnapshotQuery,
} from './federation.schemas';

declare module 'fastify' {
  interface FastifyRequest {
    federationPeer: PeerRow | null;
    federationRawBody: Buffer | null;
  }
}

const signed = [{ httpSignature: [] }];
const refusals = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema };
/** 4 KiB: a notify body is two short members; anything larger is not one. */
const NOTIFY_BODY_LIMIT = 4096;

/**
 * /federation/v1, only on a hub with HUB_FEDERATION on (deps.ts loads keys only then): a hub
 * without federation pays nothing and answers 404. Every answer is signed (RFC 9421, bound to the
 * request), so a peer can accept a rotated key announced by a JWKS signed with a key it pinned.
 */
export default async function federationRoutes(base: FastifyInstance, { hub }: { hub: HubContext }) {
  if (!hub.federationKeys) return;
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['federation'];
  const keys = hub.federationKeys;

  app.decorateRequest('federationPeer', null);
  app.decorateRequest('federationRawBody', null);
  // content-digest is over the bytes as sent: keep them, then parse.
  app.removeContentTypeParser(['application/json']);
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: NOTIFY_BODY_LIMIT }, (request, body, done) => {
    request.federationRawBody = body as Buffer;
    try {
      done(null, JSON.parse((body as Buffer).toString('utf8')));
    } catch {
      done(Object.assign(new Error('The body is not JSON.'), { statusCode: 400 }), undefined);
    }
  });

  // @target-uri from the configured public URL, never from Host or X-Forwarded-* (design).
  app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const body = typeof payload === 'string' ? payload : payload === undefined || payload === null || payload === '' ? '' : null;
    if (body === null) return payload;
    const signedHeaders = signResponse(
      { status: reply.statusCode, headers: { 'content-type': String(reply.getHeader('content-type') ?? '') }, body },
      { method: request.method, targetUri: `${hubId(hub.config)}${request.url}`, headers: {} },
      { key: { privateKey: keys.active.privateKey, keyid: keys.active.kid } },
    );
    for (const [name, value] of Object.entries(signedHeaders)) reply.header(name, value);
    return payload;
  });

  const peerOnly = async (request: FastifyRequest) => {
    request.federationPeer = await authenticatePeer(hub, {
      method: request.method,
      url: request.url,
      headers: request.headers,
      body: request.federationRawBody ?? undefined,
    });
  };

  app.get(`${FEDERATION_BASE_PATH}/hub`, {
    schema: {
      operationId: 'getFederationHub',
      tags,
      summary: 'Hub descriptor: id, protocol version and links (federation)',
      description: 'Beschreibt diesen Hub für andere Hubs. Unsigned requests are welcome; the answer is signed (RFC 9421).',
      response: { 200: HubDescriptorSchema },
    },
  }, async () => describeHub(hub));

  app.get(`${FEDERATION_BASE_PATH}/keys`, {
    schema: {
      operationId: 'getFederationKeys',
      tags,
      summary: 'The hub signing keys as a JWKS (Ed25519, current and retired)',
      description: 'Öffentliche Schlüssel dieses Hubs. Peers pin the kid (RFC 7638 thumbprint); retired keys carry exp and stay listed.',
      response: { 200: JwksSchema },
    },
  }, async (_request, reply) => {
    reply.type('application/jwk-set+json');
    return { keys: keys.jwks.keys as (Jwk & { kty: 'OKP'; crv: 'Ed25519' })[] };
  });

  app.get(`${FEDERATION_BASE_PATH}/changes`, {
    preHandler: peerOnly,
    schema: {
      operationId: 'getFederationChanges',
      tags,
      summary: 'A page of change entries after a cursor (signed request from a pinned peer)',
      description:
        'Änderungen dieses Hubs in Commit-Reihenfolge. Send `If-None-Match` with the last ETag: 304 when nothing changed. ' +
        '410 `federation.cursor_expired` for a cursor of another epoch or below the retention horizon: resync by snapshot.',
      security: signed,
      querystring: ChangesQuery,
      response: { 200: ChangesPageSchema, 304: { type: 'null', description: 'nothing new since this ETag' }, ...refusals, 410: ProblemSchema },
    },
  }, async (request, reply) => {
    const types = typesFor(request.federationPeer!, request.query.types);
    const query = { since: request.query.since, limit: request.query.limit, types };
    const head = await changesHead(hub, query);
    reply.header('etag', head.etag).header('cache-control', 'no-cache');
    // No body (undefined is not serialised, null would be "null"); the 304 keeps the content type of
    // the page it stands for, because the response signature covers it.
    if (request.headers['if-none-match'] === head.etag) return reply.status(304).type('application/json').send(undefined as never);
    const page = await changesPage(hub, head, query);
    const { etag: _etag, ...body } = page;
    return body as unknown as Static<typeof ChangesPageSchema>;
  });

  app.get(`${FEDERATION_BASE_PATH}/snapshot`, {
    preHandler: peerOnly,
    schema: {
      operationId: 'getFederationSnapshot',
      tags,
      summary: 'Every current record of one type, keyset-paged, asOf fixed at page one (signed request)',
      description: 'Alle aktuellen Einträge eines Typs (Erstabgleich und Neuabgleich nach 410).',
      security: signed,
      querystring: SnapshotQuery,
      response: { 200: SnapshotPageSchema, ...refusals, 410: ProblemSchema },
    },
  }, async (request) => {
    servedTypes(request.federationPeer!, [request.query.type]);
    return (await snapshotPage(hub, request.query)) as unknown as Static<typeof SnapshotPageSchema>;
  });

  app.get(`${FEDERATION_BASE_PATH}/records/:type/:uuid`, {
    preHandler: peerOnly,
    schema: {
      operationId: 'getFederationRecord',
      tags,
      summary: 'One record as an entry; ETag is its version; 410 with the tombstone when deleted (signed request)',
      description: 'Ein einzelner Eintrag.',
      security: signed,
      params: RecordParams,
      response: { 200: EntrySchema, 304: { type: 'null', description: 'the version in If-None-Match is current' }, ...refusals, 404: ProblemSchema, 410: EntrySchema },
    },
  }, async (request, reply) => {
    servedTypes(request.federationPeer!, [request.params.type]);
    const answer = await recordEntry(hub, { type: request.params.type, recordId: request.params.uuid });
    const etag = `"${answer.version}"`;
    reply.header('etag', etag);
    if (!answer.gone && request.headers['if-none-match'] === etag) return reply.status(304).type('application/json').send(undefined as never);
    return reply.status(answer.gone ? 410 : 200).send(answer.entry as unknown as Static<typeof EntrySchema>);
  });

  app.post(`${FEDERATION_BASE_PATH}/notify`, {
    preHandler: peerOnly,
    bodyLimit: NOTIFY_BODY_LIMIT,
    schema: {
      operationId: 'notifyFederation',
      tags,
      summary: 'A peer says its log moved on: one deduplicated pull of that peer is queued (signed, with content-digest and nonce)',
      description: 'Hinweis eines Peers auf neue Änderungen; löst höchstens einen Abruf aus.',
      security: signed,
      body: NotifyBody,
      response: { 202: NotifyAccepted, ...refusals, 503: ProblemSchema },
    },
  }, async (request, reply) => reply.status(202).send(await notifyFromPeer(hub, request.federationPeer!, request.body)));
}

function typesFor(peer: PeerRow, requested: string | undefined): FederatedType[] {
  return servedTypes(peer, requested ? (requested.split(',') as FederatedType[]) : undefined);
}
