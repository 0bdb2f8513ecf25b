import { createPublicKey } from 'node:crypto';
import { calculateJwkThumbprint } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyResponse } from '../../src/domain/federation/http-signatures';
import { createTestHub, onPglite, type TestHub } from '../helpers/hub';

const PUBLIC_URL = 'https://hub-a.example';

describe('federation descriptor and keys', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await createTestHub({ HUB_FEDERATION: 'true', HUB_PUBLIC_URL: PUBLIC_URL });
  });
  afterAll(() => hub.close());

  it('the descriptor names the hub by its public URL and links to its keys, changes and snapshot, with the log epoch', async () => {
    const response = await hub.app.inject('/federation/v1/hub');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      id: PUBLIC_URL,
      protocol: '1.0',
      signatureTag: 'transferhub-federation/v1',
      name: 'hub-a.example',
      contact: null,
      links: { self: `${PUBLIC_URL}/federation/v1/hub`, keys: `${PUBLIC_URL}/federation/v1/keys`, changes: `${PUBLIC_URL}/federation/v1/changes`, snapshot: `${PUBLIC_URL}/federation/v1/snapshot` },
      tombstoneRetentionDays: 90,
      maxPageSize: 1000,
    });
    expect(response.json().logEpoch).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('the JWKS lists one Ed25519 key whose kid is its RFC 7638 thumbprint, and no private part', async () => {
    const response = await hub.app.inject('/federation/v1/keys');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/jwk-set\+json/);
    const { keys } = response.json() as { keys: Record<string, string>[] };
    expect(keys).toHaveLength(1);
    const [jwk] = keys;
    expect(jwk).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
    expect(jwk).not.toHaveProperty('d');
    expect(await calculateJwkThumbprint({ kty: jwk!.kty!, crv: jwk!.crv!, x: jwk!.x! }, 'sha256')).toBe(jwk!.kid);
  });

  it('answers are signed with that key and bound to the request URL under the public address', async () => {
    const jwks = (await hub.app.inject('/federation/v1/keys')).json() as { keys: ({ kid: string } & Record<string, string>)[] };
    const [jwk] = jwks.keys;
    const keyFor = (kid: string) => (kid === jwk!.kid ? createPublicKey({ key: jwk!, format: 'jwk' }) : null);
    const response = await hub.app.inject({ url: '/federation/v1/hub', headers: { host: 'attacker.example' } });
    const asReceived = { status: response.statusCode, headers: response.headers as Record<string, string>, body: response.body };
    const request = { method: 'GET', targetUri: `${PUBLIC_URL}/federation/v1/hub`, headers: {} };
    expect(verifyResponse(asReceived, request, { keyFor })).toMatchObject({ ok: true, keyid: jwk!.kid });
    const otherUrl = { ...request, targetUri: `${PUBLIC_URL}/federation/v1/keys` };
    expect(verifyResponse(asReceived, otherUrl, { keyFor })).toEqual({ ok: false, reason: 'signature.invalid' });
  });

  // Server mode: a second process on the same database (PGlite in memory has no second start).
  it.skipIf(onPglite)('keeps the same key across restarts of the hub on the same database', async () => {
    const before = (await hub.app.inject('/federation/v1/keys')).json();
    const again = await createTestHub({ HUB_FEDERATION: 'true', HUB_PUBLIC_URL: PUBLIC_URL, DATABASE_URL: hub.deps.hub.config.databaseUrl! });
    try {
      expect((await again.app.inject('/federation/v1/keys')).json()).toEqual(before);
    } finally {
      await again.close();
    }
  });
});

describe('a hub with federation off', () => {
  it('serves no federation endpoint and keeps no key', async () => {
    const hub = await createTestHub();
    try {
      for (const url of ['/federation/v1/hub', '/federation/v1/keys']) {
        const response = await hub.app.inject(url);
        expect(response.statusCode).toBe(404);
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      }
      expect(hub.deps.hub.federationKeys).toBeNull();
    } finally {
      await hub.close();
    }
  });
});
