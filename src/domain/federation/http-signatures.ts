import { randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import { contentDigest, contentDigestMatches } from './content-digest';
import {
  parseSignature,
  parseSignatureInput,
  serializeSignatureParams,
  signatureBase,
  SignatureBaseError,
  type Component,
  type SignatureParams,
} from './signature-base';

/**
 * RFC 9421 HTTP Message Signatures with Ed25519 for every federation hop (design: "Signatures in
 * detail"): requests cover @method, @target-uri, @authority and content-digest when there is a
 * body; responses are bound to their request. One label, one algorithm, one tag: a verifier
 * accepts nothing else, so no downgrade or cross-protocol reuse of a signature is possible.
 */
export const SIGNATURE_LABEL = 'hub';
export const SIGNATURE_ALG = 'ed25519';
export const SIGNATURE_TAG = 'transferhub-federation/v1';
/** The design's ceiling: a captured request is useless five minutes later. */
export const MAX_LIFETIME_SECONDS = 300;
/** Clocks of two hubs may disagree this much (NTP keeps them far closer). */
export const MAX_SKEW_SECONDS = 60;

type Headers = Record<string, string | string[] | number | undefined>;
export type SignedRequest = { method: string; targetUri: string; headers: Headers; body?: Buffer | string };
export type SignedResponse = { status: number; headers: Headers; body: Buffer | string };
export type SigningKey = { privateKey: KeyObject; keyid: string };

const REQUEST_COMPONENTS: Component[] = [{ name: '@method' }, { name: '@target-uri' }, { name: '@authority' }];
const RESPONSE_COMPONENTS: Component[] = [
  { name: '@status' },
  { name: 'content-type' },
  { name: 'content-digest' },
  { name: '@method', req: true },
  { name: '@target-uri', req: true },
];

function header(headers: Headers, name: string): string | null {
  const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
  const value = key === undefined ? undefined : headers[key];
  if (value === undefined) return null;
  // RFC 9421 2.1: values trimmed, several field lines joined with ", ".
  return (Array.isArray(value) ? value : [String(value)]).map((part) => part.trim()).join(', ');
}

/** Component values of a request (RFC 9421 2.2 derived components and 2.1 fields). */
export function requestValue(request: SignedRequest, component: Component): string | null {
  const url = new URL(request.targetUri);
  switch (component.name) {
    case '@method':
      return request.method.toUpperCase();
    case '@target-uri':
      return request.targetUri;
    case '@authority':
      // URL.host is lower-case and drops the scheme's default port, as 2.2.3 asks.
      return url.host;
    case '@path':
      return url.pathname;
    case '@query':
      return url.search === '' ? '?' : url.search;
    default:
      return component.name.startsWith('@') ? null : header(request.headers, component.name);
  }
}

function responseValue(response: SignedResponse, request: SignedRequest, component: Component): string | null {
  if (component.req) return requestValue(request, { name: component.name });
  if (component.name === '@status') return String(response.status);
  return component.name.startsWith('@') ? null : header(response.headers, component.name);
}

function hasBody(body: Buffer | string | undefined): body is Buffer | string {
  return body !== undefined && body.length > 0;
}

type SignOptions = { key: SigningKey; now?: number; lifetimeSeconds?: number; nonce?: boolean };

function params(options: SignOptions, nonce: boolean): SignatureParams {
  const created = options.now ?? Math.floor(Date.now() / 1000);
  const lifetime = options.lifetimeSeconds ?? MAX_LIFETIME_SECONDS;
  if (lifetime <= 0 || lifetime > MAX_LIFETIME_SECONDS) throw new RangeError(`signature lifetime must be 1–${MAX_LIFETIME_SECONDS} s`);
  return {
    created,
    expires: created + lifetime,
    ...(nonce ? { nonce: randomBytes(16).toString('base64url') } : {}),
    keyid: options.key.keyid,
    alg: SIGNATURE_ALG,
    tag: SIGNATURE_TAG,
  };
}

/** Headers to add to the request: content-digest (with a body), signature-input and signature. */
export function signRequest(request: SignedRequest, options: SignOptions): Record<string, string> {
  const added: Record<string, string> = {};
  const components = [...REQUEST_COMPONENTS];
  if (hasBody(request.body)) {
    added['content-digest'] = contentDigest(request.body);
    components.push({ name: 'content-digest' });
  }
  const withDigest = { ...request, headers: { ...request.headers, ...added } };
  // POST changes state (notify), so it carries a nonce that verifiers remember.
  const signatureParams = params(options, options.nonce ?? request.method.toUpperCase() === 'POST');
  return { ...added, ...signed(components, signatureParams, options.key, (component) => requestValue(withDigest, component)) };
}

/** Headers to add to a response: content-digest, signature-input and signature, bound to the request. */
export function signResponse(response: SignedResponse, request: SignedRequest, options: SignOptions): Record<string, string> {
  const added = { 'content-digest': contentDigest(response.body) };
  const withDigest = { ...response, headers: { ...response.headers, ...added } };
  const signatureParams = params(options, false);
  return { ...added, ...signed(RESPONSE_COMPONENTS, signatureParams, options.key, (component) => responseValue(withDigest, request, component)) };
}

function signed(components: Component[], signatureParams: SignatureParams, key: SigningKey, valueOf: (component: Component) => string | null) {
  const base = signatureBase(components, signatureParams, valueOf);
  const signature = sign(null, Buffer.from(base, 'utf8'), key.privateKey).toString('base64');
  return {
    'signature-input': `${SIGNATURE_LABEL}=${serializeSignatureParams(components, signatureParams)}`,
    signature: `${SIGNATURE_LABEL}=:${signature}:`,
  };
}

export type VerifyOptions = {
  /** The verifier's clock in seconds; injectable for tests. */
  now?: number;
  /** The public key pinned for this keyid (for this peer), or null: never fetched on demand. */
  keyFor: (keyid: string) => KeyObject | null;
  /** Records a nonce and answers false if it was seen within the signature lifetime. */
  rememberNonce?: (nonce: string, expires: number) => boolean;
};

export type VerifyResult = { ok: true; keyid: string; created: number; nonce?: string } | { ok: false; reason: SignatureFailure };
export type SignatureFailure =
  | 'signature.missing'
  | 'signature.malformed'
  | 'signature.alg'
  | 'signature.tag'
  | 'signature.expired'
  | 'signature.clock-skew'
  | 'signature.coverage'
  | 'signature.unknown-key'
  | 'signature.content-digest'
  | 'signature.nonce'
  | 'signature.invalid';

/** Verifies a request; targetUri must come from our configured public URL, never from forwarded headers. */
export function verifyRequest(request: SignedRequest, options: VerifyOptions): VerifyResult {
  const required = [...REQUEST_COMPONENTS];
  if (hasBody(request.body)) {
    if (!contentDigestMatches(header(request.headers, 'content-digest') ?? undefined, request.body)) return fail('signature.content-digest');
    required.push({ name: 'content-digest' });
  }
  const needsNonce = request.method.toUpperCase() === 'POST';
  return verifyMessage(request.headers, required, needsNonce, options, (component) => requestValue(request, component));
}

/** Verifies a response to `request` (the request as we sent it). */
export function verifyResponse(response: SignedResponse, request: SignedRequest, options: VerifyOptions): VerifyResult {
  if (!contentDigestMatches(header(response.headers, 'content-digest') ?? undefined, response.body)) return fail('signature.content-digest');
  return verifyMessage(response.headers, RESPONSE_COMPONENTS, false, options, (component) => responseValue(response, request, component));
}

function fail(reason: SignatureFailure): VerifyResult {
  return { ok: false, reason };
}

function verifyMessage(
  headers: Headers,
  required: Component[],
  needsNonce: boolean,
  options: VerifyOptions,
  valueOf: (component: Component) => string | null,
): VerifyResult {
  const inputField = header(headers, 'signature-input');
  const signatureField = header(headers, 'signature');
  if (inputField === null || signatureField === null) return fail('signature.missing');
  const input = parseSignatureInput(inputField, SIGNATURE_LABEL);
  const signature = parseSignature(signatureField, SIGNATURE_LABEL);
  if (!input || !signature) return fail('signature.malformed');
  const { created, expires, keyid, alg, tag, nonce } = input.params;
  if (typeof created !== 'number' || typeof expires !== 'number' || typeof keyid !== 'string') return fail('signature.malformed');
  if (alg !== SIGNATURE_ALG) return fail('signature.alg');
  if (tag !== SIGNATURE_TAG) return fail('signature.tag');
  const now = options.now ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - created) > MAX_SKEW_SECONDS) return fail('signature.clock-skew');
  if (expires <= created || expires - created > MAX_LIFETIME_SECONDS || now > expires) return fail('signature.expired');
  const covered = new Set(input.components.map((component) => `${component.name}${component.req ? ';req' : ''}`));
  if (!required.every((component) => covered.has(`${component.name}${component.req ? ';req' : ''}`))) return fail('signature.coverage');
  if (nonce !== undefined && typeof nonce !== 'string') return fail('signature.malformed');
  if (needsNonce && nonce === undefined) return fail('signature.nonce');
  const publicKey = options.keyFor(keyid);
  if (!publicKey) return fail('signature.unknown-key');
  let base: string;
  try {
    base = signatureBase(input.components, input.raw, valueOf);
  } catch (error) {
    if (error instanceof SignatureBaseError) return fail('signature.coverage');
    throw error;
  }
  if (!verify(null, Buffer.from(base, 'utf8'), publicKey, signature)) return fail('signature.invalid');
  // Only after the signature holds, so a forger cannot burn a legitimate sender's nonce.
  if (nonce !== undefined && options.rememberNonce && !options.rememberNonce(nonce, expires)) return fail('signature.nonce');
  return { ok: true, keyid, created, ...(nonce !== undefined ? { nonce } : {}) };
}
