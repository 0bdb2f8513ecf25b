import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { calculateJwkThumbprint } from 'jose';
import type { Db } from '../../db/client';
import { insertFederationKey, listFederationKeys, retireFederationKey } from '../../db/queries/federation-keys.queries';

/**
 * The hub's Ed25519 keys (design: "Identity and keys"): generated at the first start with
 * federation on, kept, and rotated with overlap. `kid` is the RFC 7638 thumbprint, so a peer can
 * pin it and recompute it from the JWK it receives. Retired keys stay in the JWKS with `exp` (the
 * time they stopped signing): record proofs made before rotation must still verify on relays.
 */
export type PublicJwk = { kty: string; crv: string; x: string };
export type StoredKey = { kid: string; publicJwk: PublicJwk; privateKeyPem: string; createdAt: Date; retiredAt: Date | null };
export type Jwk = PublicJwk & { kid: string; alg: 'EdDSA'; use: 'sig'; exp?: number };

export type KeyStore = {
  list(): Promise<StoredKey[]>;
  add(key: StoredKey): Promise<void>;
  retire(kid: string, at: Date): Promise<void>;
};

export type HubKeys = {
  /** The key that signs now: the oldest one not retired. */
  active: { kid: string; privateKey: KeyObject; publicKey: KeyObject };
  jwks: { keys: Jwk[] };
  /** Our own public key for a kid (retired ones included), for verifying what we signed. */
  publicKeyFor(kid: string): KeyObject | null;
};

/** Server mode: the federation_key table (see the schema file for why the key is not encrypted). */
export function databaseKeyStore(db: Db): KeyStore {
  return {
    list: () => listFederationKeys(db),
    add: (key) => insertFederationKey(db, key),
    retire: (kid, at) => retireFederationKey(db, { kid, at }),
  };
}

/**
 * Embedded mode: one JSON file in the data folder, mode 0600, written to a temporary name and
 * renamed so a crash mid-write never leaves half a key file (which would change the hub's identity).
 */
export function fileKeyStore(dataDir: string): KeyStore {
  const file = join(dataDir, 'federation-keys.json');
  type FileKey = Omit<StoredKey, 'createdAt' | 'retiredAt'> & { createdAt: string; retiredAt: string | null };
  const read = (): StoredKey[] =>
    existsSync(file)
      ? (JSON.parse(readFileSync(file, 'utf8')) as FileKey[]).map((key) => ({ ...key, createdAt: new Date(key.createdAt), retiredAt: key.retiredAt ? new Date(key.retiredAt) : null }))
      : [];
  const write = (keys: StoredKey[]) => {
    writeFileSync(`${file}.tmp`, JSON.stringify(keys, null, 2) + '\n', { mode: 0o600 });
    renameSync(`${file}.tmp`, file);
  };
  return {
    list: async () => read(),
    add: async (key) => write([...read().filter((existing) => existing.kid !== key.kid), key]),
    retire: async (kid, at) => write(read().map((key) => (key.kid === kid ? { ...key, retiredAt: at } : key))),
  };
}

export async function generateHubKey(now: Date): Promise<StoredKey> {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const { kty, crv, x } = publicKey.export({ format: 'jwk' });
  const publicJwk = { kty: kty!, crv: crv!, x: x! };
  const kid = await calculateJwkThumbprint(publicJwk, 'sha256');
  return { kid, publicJwk, privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(), createdAt: now, retiredAt: null };
}

/** The stored keys, generating the first one if there is none that signs. */
export async function loadHubKeys(store: KeyStore, now: Date = new Date()): Promise<HubKeys> {
  let keys = await store.list();
  if (!keys.some((key) => key.retiredAt === null)) {
    await store.add(await generateHubKey(now));
    keys = await store.list();
  }
  return hubKeys(keys);
}

/**
 * A new signing key; the previous one is retired (exp = now) and stays listed. Peers accept the
 * new key automatically only if the JWKS announcing it is signed by a key they pinned, so the
 * JWKS answer is signed with the old key during the overlap (routes, next step).
 */
export async function rotateHubKey(store: KeyStore, now: Date = new Date()): Promise<HubKeys> {
  const next = await generateHubKey(now);
  await store.add(next);
  for (const key of await store.list()) {
    if (key.retiredAt === null && key.kid !== next.kid) await store.retire(key.kid, now);
  }
  return hubKeys(await store.list());
}

function hubKeys(keys: StoredKey[]): HubKeys {
  const byAge = [...keys].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.kid.localeCompare(b.kid));
  const signing = byAge.find((key) => key.retiredAt === null);
  if (!signing) throw new Error('no active federation key');
  const publicKeys = new Map(byAge.map((key) => [key.kid, createPublicKey({ key: key.publicJwk, format: 'jwk' })]));
  return {
    active: { kid: signing.kid, privateKey: createPrivateKey(signing.privateKeyPem), publicKey: publicKeys.get(signing.kid)! },
    jwks: {
      keys: byAge.map((key) => ({
        ...key.publicJwk,
        kid: key.kid,
        alg: 'EdDSA' as const,
        use: 'sig' as const,
        ...(key.retiredAt ? { exp: Math.floor(key.retiredAt.getTime() / 1000) } : {}),
      })),
    },
    publicKeyFor: (kid) => publicKeys.get(kid) ?? null,
  };
}
