import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { HubContext } from '../../../domain/context';
import { FEDERATION_BASE_PATH, hubDescriptor, hubId } from '../../../domain/federation/descriptor';
import { signResponse } from '../../../domain/federation/http-signatures';
import type { Jwk } from '../../../domain/federation/hub-keys';
import { HubDescriptorSchema, JwksSchema } from './federation.schemas';

/**
 * /federation/v1, only on a hub with HUB_FEDERATION on (deps.ts loads keys only then): a hub
 * without federation pays nothing and answers 404. Every answer is signed (RFC 9421, bound to the
 * request), so a peer can accept a rotated key announced by a JWKS signed with a key it pinned.
 */
export default async function federationRoutes(base: FastifyInstance, { hub }: { hub: HubContext }) {
  if (!hub.federationKeys) return;
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['federation'];

  // @target-uri from the configured public URL, never from Host or X-Forwarded-* (design).
  app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    if (typeof payload !== 'string' || !hub.federationKeys) return payload;
    const keys = hub.federationKeys;
    const signedHeaders = signResponse(
      { status: reply.statusCode, headers: { 'content-type': String(reply.getHeader('content-type') ?? '') }, body: payload },
      { method: request.method, targetUri: `${hubId(hub.config)}${request.url}`, headers: {} },
      { key: { privateKey: keys.active.privateKey, keyid: keys.active.kid } },
    );
    for (const [name, value] of Object.entries(signedHeaders)) reply.header(name, value);
    return payload;
  });

  app.get(`${FEDERATION_BASE_PATH}/hub`, {
    schema: {
      operationId: 'getFederationHub',
      tags,
      summary: 'Hub descriptor: id, protocol version and links (federation)',
      description: 'Beschreibt diesen Hub für andere Hubs. Unsigned requests are welcome; the answer is signed (RFC 9421).',
      response: { 200: HubDescriptorSchema },
    },
  }, async () => hubDescriptor(hub.config));

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
    return { keys: hub.federationKeys!.jwks.keys as (Jwk & { kty: 'OKP'; crv: 'Ed25519' })[] };
  });
}
