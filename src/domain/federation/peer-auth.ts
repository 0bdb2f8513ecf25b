import { createPublicKey } from 'node:crypto';
import { findPinnedKey, type PeerRow } from '../../db/queries/federation-peers.queries';
import { AppError } from '../../lib/errors';
import type { HubContext } from '../context';
import { hubId } from './descriptor';
import { MAX_LIFETIME_SECONDS, SIGNATURE_LABEL, verifyRequest, type SignatureFailure } from './http-signatures';
import { parseSignatureInput } from './signature-base';

/** The design's ten minutes: longer than any signature lives (300 s), so a nonce cannot come back while valid. */
const NONCE_TTL_MS = 10 * 60_000;

export class SignatureRefused extends AppError {
  constructor(code: SignatureFailure | 'signature.peer-revoked' | 'signature.peer-not-served', detail: string) {
    super(401, code, 'Unauthorized', detail);
  }
}

export type IncomingRequest = { method: string; url: string; headers: Record<string, string | string[] | undefined>; body?: Buffer };

/**
 * Who signed this request: the peer whose pinned key made a valid RFC 9421 signature over it.
 * @target-uri is our configured public URL plus the request's path and query, never Host or
 * X-Forwarded-*; keys are looked up among pinned ones only (never fetched on demand); a POST's
 * nonce is claimed after the signature holds, so a forger cannot burn a sender's nonce.
 */
export async function authenticatePeer(hub: HubContext, request: IncomingRequest, now?: number): Promise<PeerRow> {
  const input = parseSignatureInput(headerText(request.headers['signature-input']), SIGNATURE_LABEL);
  const keyid = input?.params.keyid;
  const pinned = typeof keyid === 'string' ? await findPinnedKey(hub.db, keyid) : null;
  const result = verifyRequest(
    { method: request.method, targetUri: `${hubId(hub.config)}${request.url}`, headers: request.headers, body: request.body },
    { now, keyFor: (kid) => (pinned && kid === pinned.key.kid ? createPublicKey({ key: pinned.key.publicJwk, format: 'jwk' }) : null) },
  );
  if (!result.ok) throw new SignatureRefused(result.reason, `The request signature was refused (${result.reason}).`);
  const { peer, key } = pinned!;
  if (key.notAfter && result.created > Math.floor(key.notAfter.getTime() / 1000)) {
    throw new SignatureRefused('signature.expired', 'The key that signed was retired before the signature was made.');
  }
  if (peer.status === 'revoked') throw new SignatureRefused('signature.peer-revoked', 'This hub revoked the peer that signed.');
  if (!peer.serveEnabled) throw new SignatureRefused('signature.peer-not-served', 'This hub does not serve the peer that signed.');
  if (result.nonce !== undefined && !(await hub.deliveries.claim(`federation-nonce:${peer.id}:${result.nonce}`, Math.max(NONCE_TTL_MS, MAX_LIFETIME_SECONDS * 1000)))) {
    throw new SignatureRefused('signature.nonce', 'The nonce of this request was used before.');
  }
  return peer;
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}
