import { createPublicKey, sign, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { calculateJwkThumbprint } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { fileKeyStore, loadHubKeys, rotateHubKey } from '../../../src/domain/federation/hub-keys';

const folders: string[] = [];
function dataDir(): string {
  const folder = mkdtempSync(join(tmpdir(), 'hub-keys-'));
  folders.push(folder);
  return folder;
}
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

describe('hub keys (embedded: a file in the data folder)', () => {
  it('generates a key at the first start, keeps it in a 0600 file and loads the same key later', async () => {
    const folder = dataDir();
    const first = await loadHubKeys(fileKeyStore(folder));
    const file = join(folder, 'federation-keys.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const again = await loadHubKeys(fileKeyStore(folder));
    expect(again.active.kid).toBe(first.active.kid);
    expect(again.jwks).toEqual(first.jwks);
    expect(readFileSync(file, 'utf8')).toContain('PRIVATE KEY');
  });

  it('names each key by its RFC 7638 thumbprint and serves only public parts in the JWKS', async () => {
    const keys = await loadHubKeys(fileKeyStore(dataDir()));
    const [jwk] = keys.jwks.keys;
    expect(jwk).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig', kid: keys.active.kid });
    expect(jwk).not.toHaveProperty('d');
    expect(await calculateJwkThumbprint({ kty: jwk!.kty, crv: jwk!.crv, x: jwk!.x }, 'sha256')).toBe(jwk!.kid);
    const signature = sign(null, Buffer.from('hello'), keys.active.privateKey);
    expect(verify(null, Buffer.from('hello'), createPublicKey({ key: jwk!, format: 'jwk' }), signature)).toBe(true);
  });

  it('rotation signs with a new key and keeps the old one listed with exp, so its signatures still verify', async () => {
    const store = fileKeyStore(dataDir());
    const before = await loadHubKeys(store, new Date('2026-01-01T00:00:00Z'));
    const oldSignature = sign(null, Buffer.from('record'), before.active.privateKey);
    const after = await rotateHubKey(store, new Date('2026-06-01T00:00:00Z'));
    expect(after.active.kid).not.toBe(before.active.kid);
    expect(after.jwks.keys.map((key) => [key.kid, key.exp])).toEqual([
      [before.active.kid, Date.parse('2026-06-01T00:00:00Z') / 1000],
      [after.active.kid, undefined],
    ]);
    expect(verify(null, Buffer.from('record'), after.publicKeyFor(before.active.kid)!, oldSignature)).toBe(true);
    expect((await loadHubKeys(store)).active.kid).toBe(after.active.kid);
  });
});
