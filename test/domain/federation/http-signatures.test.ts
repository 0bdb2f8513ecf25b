import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { contentDigest } from '../../../src/domain/federation/content-digest';
import {
  requestValue,
  signRequest,
  signResponse,
  verifyRequest,
  verifyResponse,
  type SignedRequest,
} from '../../../src/domain/federation/http-signatures';
import { parseSignature, parseSignatureInput, signatureBase } from '../../../src/domain/federation/signature-base';

/**
 * RFC 9421 Appendix B.1.4 (test-key-ed25519), B.2 (test-request) and B.2.6 (sig-b26), copied
 * here so our signature base is checked against the RFC's published Ed25519 signature. Ed25519
 * is deterministic, so the same base and key must give exactly these bytes.
 */
const RFC_PRIVATE_KEY = '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIJ+DYvh6SEqVTm50DFtMDoQikTmiCqirVv9mWG9qfSnF\n-----END PRIVATE KEY-----\n';
const RFC_PUBLIC_KEY = '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAJrQLj5P/89iXES9+vFgrIy29clF9CC/oPPsw3c5D0bs=\n-----END PUBLIC KEY-----\n';
const RFC_REQUEST: SignedRequest = {
  method: 'POST',
  targetUri: 'https://example.com/foo?param=Value&Pet=dog',
  headers: {
    Host: 'example.com',
    Date: 'Tue, 20 Apr 2021 02:07:55 GMT',
    'Content-Type': 'application/json',
    'Content-Length': '18',
  },
  body: '{"hello": "world"}',
};
const B26_INPUT = 'sig-b26=("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519"';
const B26_SIGNATURE = 'sig-b26=:wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6vuQv5lIp5WPpBKRCw==:';
const B26_BASE = [
  '"date": Tue, 20 Apr 2021 02:07:55 GMT',
  '"@method": POST',
  '"@path": /foo',
  '"@authority": example.com',
  '"content-type": application/json',
  '"content-length": 18',
  '"@signature-params": ("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519"',
].join('\n');

describe('RFC 9421 Appendix B.2.6 (Ed25519)', () => {
  const input = parseSignatureInput(B26_INPUT, 'sig-b26');

  it('builds the signature base of the RFC from its Signature-Input and test request', () => {
    expect(input).not.toBeNull();
    expect(signatureBase(input!.components, input!.raw, (component) => requestValue(RFC_REQUEST, component))).toBe(B26_BASE);
  });

  it('signs that base with the RFC test key to exactly the published signature', () => {
    const signature = sign(null, Buffer.from(B26_BASE), createPrivateKey(RFC_PRIVATE_KEY));
    expect(signature).toEqual(parseSignature(B26_SIGNATURE, 'sig-b26'));
  });

  it('verifies the published signature with the RFC public key, and not a changed base', () => {
    const signature = parseSignature(B26_SIGNATURE, 'sig-b26')!;
    expect(verify(null, Buffer.from(B26_BASE), createPublicKey(RFC_PUBLIC_KEY), signature)).toBe(true);
    expect(verify(null, Buffer.from(B26_BASE.replace('/foo', '/bar')), createPublicKey(RFC_PUBLIC_KEY), signature)).toBe(false);
  });

  it('still refuses the RFC example as a federation request: it has no expiry, alg or tag', () => {
    // Without the body: the RFC's sha-512 Content-Digest would be refused before the parameters.
    const headers = { ...RFC_REQUEST.headers, 'Signature-Input': B26_INPUT.replace('sig-b26', 'hub'), Signature: B26_SIGNATURE.replace('sig-b26', 'hub') };
    const result = verifyRequest({ ...RFC_REQUEST, body: undefined, headers }, { now: 1618884473, keyFor: () => createPublicKey(RFC_PUBLIC_KEY) });
    expect(result).toEqual({ ok: false, reason: 'signature.malformed' });
  });
});

describe('federation request and response signatures', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const key = { privateKey, keyid: 'kid-a' };
  const now = 1_800_000_000;
  const keyFor = (keyid: string) => (keyid === 'kid-a' ? publicKey : null);
  const get: SignedRequest = { method: 'GET', targetUri: 'https://hub-a.example/federation/v1/changes?since=abc', headers: {} };

  function signedGet(overrides: { now?: number; lifetimeSeconds?: number } = {}): SignedRequest {
    return { ...get, headers: { ...get.headers, ...signRequest(get, { key, now, ...overrides }) } };
  }

  it('a signed GET verifies and names its key', () => {
    const request = signedGet();
    expect(request.headers['signature-input']).toMatch(/^hub=\("@method" "@target-uri" "@authority"\);created=\d+;expires=\d+;keyid="kid-a";alg="ed25519";tag="transferhub-federation\/v1"$/);
    expect(verifyRequest(request, { now, keyFor })).toEqual({ ok: true, keyid: 'kid-a', created: now });
  });

  it('a request for another cursor or another host does not verify with the same signature', () => {
    const request = signedGet();
    expect(verifyRequest({ ...request, targetUri: 'https://hub-a.example/federation/v1/changes?since=xyz' }, { now, keyFor })).toEqual({ ok: false, reason: 'signature.invalid' });
    expect(verifyRequest({ ...request, targetUri: 'https://hub-b.example/federation/v1/changes?since=abc' }, { now, keyFor })).toEqual({ ok: false, reason: 'signature.invalid' });
  });

  it('refuses signatures too old, from the future, living too long, or already expired', () => {
    expect(verifyRequest(signedGet(), { now: now + 61, keyFor })).toEqual({ ok: false, reason: 'signature.clock-skew' });
    expect(verifyRequest(signedGet(), { now: now - 61, keyFor })).toEqual({ ok: false, reason: 'signature.clock-skew' });
    expect(verifyRequest(signedGet({ lifetimeSeconds: 30 }), { now: now + 31, keyFor })).toEqual({ ok: false, reason: 'signature.expired' });
    expect(() => signRequest(get, { key, now, lifetimeSeconds: 301 })).toThrow(RangeError);
  });

  it('refuses a key that is not pinned, another algorithm and another tag', () => {
    expect(verifyRequest(signedGet(), { now, keyFor: () => null })).toEqual({ ok: false, reason: 'signature.unknown-key' });
    const request = signedGet();
    const input = String(request.headers['signature-input']);
    const withAlg = { ...request, headers: { ...request.headers, 'signature-input': input.replace('alg="ed25519"', 'alg="hmac-sha256"') } };
    expect(verifyRequest(withAlg, { now, keyFor })).toEqual({ ok: false, reason: 'signature.alg' });
    const withTag = { ...request, headers: { ...request.headers, 'signature-input': input.replace('tag="transferhub-federation/v1"', 'tag="other"') } };
    expect(verifyRequest(withTag, { now, keyFor })).toEqual({ ok: false, reason: 'signature.tag' });
  });

  it('a signature that covers too little is refused even if it is genuine', () => {
    const base = signatureBase([{ name: '@method' }], { created: now, expires: now + 60, keyid: 'kid-a', alg: 'ed25519', tag: 'transferhub-federation/v1' }, (component) => requestValue(get, component));
    const signature = sign(null, Buffer.from(base), privateKey).toString('base64');
    const headers = { 'signature-input': `hub=("@method");created=${now};expires=${now + 60};keyid="kid-a";alg="ed25519";tag="transferhub-federation/v1"`, signature: `hub=:${signature}:` };
    expect(verifyRequest({ ...get, headers }, { now, keyFor })).toEqual({ ok: false, reason: 'signature.coverage' });
  });

  it('a POST carries a content digest and a nonce; a changed body or a reused nonce is refused', () => {
    const post: SignedRequest = { method: 'POST', targetUri: 'https://hub-a.example/federation/v1/notify', headers: { 'content-type': 'application/json' }, body: '{"hub":"https://hub-b.example","highWaterMark":"x"}' };
    const request = { ...post, headers: { ...post.headers, ...signRequest(post, { key, now }) } };
    expect(request.headers['content-digest']).toBe(contentDigest(post.body!));
    const seen = new Set<string>();
    const rememberNonce = (nonce: string) => (seen.has(nonce) ? false : (seen.add(nonce), true));
    const first = verifyRequest(request, { now, keyFor, rememberNonce });
    expect(first.ok && typeof first.nonce === 'string').toBe(true);
    expect(verifyRequest(request, { now, keyFor, rememberNonce })).toEqual({ ok: false, reason: 'signature.nonce' });
    expect(verifyRequest({ ...request, body: '{"hub":"https://evil.example","highWaterMark":"x"}' }, { now, keyFor })).toEqual({ ok: false, reason: 'signature.content-digest' });
    const forgedDigest = { ...request, body: 'other', headers: { ...request.headers, 'content-digest': contentDigest('other') } };
    expect(verifyRequest(forgedDigest, { now, keyFor })).toEqual({ ok: false, reason: 'signature.invalid' });
  });

  it('a response is bound to its request: a recorded page cannot answer another cursor', () => {
    const body = '{"entries":[],"hasMore":false}';
    const response = { status: 200, headers: { 'content-type': 'application/json' }, body };
    const signedResponse = { ...response, headers: { ...response.headers, ...signResponse(response, get, { key, now }) } };
    expect(verifyResponse(signedResponse, get, { now, keyFor }).ok).toBe(true);
    const otherRequest = { ...get, targetUri: 'https://hub-a.example/federation/v1/changes?since=def' };
    expect(verifyResponse(signedResponse, otherRequest, { now, keyFor })).toEqual({ ok: false, reason: 'signature.invalid' });
    expect(verifyResponse({ ...signedResponse, status: 304 }, get, { now, keyFor })).toEqual({ ok: false, reason: 'signature.invalid' });
    expect(verifyResponse({ ...signedResponse, body: '{"entries":[1]}' }, get, { now, keyFor })).toEqual({ ok: false, reason: 'signature.content-digest' });
  });

  it('an unsigned or garbled message is refused with a reason', () => {
    expect(verifyRequest(get, { now, keyFor })).toEqual({ ok: false, reason: 'signature.missing' });
    expect(verifyRequest({ ...get, headers: { 'signature-input': 'hub=garbage', signature: 'hub=:AAAA:' } }, { now, keyFor })).toEqual({ ok: false, reason: 'signature.malformed' });
  });
});
