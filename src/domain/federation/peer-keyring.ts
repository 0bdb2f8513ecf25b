import { createPublicKey, type KeyObject } from 'node:crypto';
import type { Executor } from '../../db/client';
import { peersByHubIds, pinnedKeys, type PeerRow } from '../../db/queries/federation-pull.queries';
import type { AuthorityScope } from '../../db/schema';

/**
 * What the puller trusts for one peer, loaded once per pull: the peer's pinned keys (they sign
 * its answers) and, per origin whose records it may relay, that origin's pinned keys (they sign
 * the record proofs) and authority scope. Only pinned keys of peers in our allow-list: nothing
 * is fetched because an entry names a key.
 */
export type KeyRing = {
  /** Verifies the peer's RFC 9421 answers. */
  peerKey(keyid: string): KeyObject | null;
  /** Verifies record proofs: `{origin}/federation/v1/keys#{kid}`, pinned for that origin. */
  originKey(origin: string, verificationMethod: string): KeyObject | null;
  /** The organisations an origin may be authoritative for. */
  scopeOf(origin: string): AuthorityScope;
};

export async function loadKeyRing(db: Executor, peer: PeerRow): Promise<KeyRing> {
  const relays = await peersByHubIds(db, peer.relayOrigins);
  // A relay origin we do not peer with directly has no keys of its own here: its proofs cannot
  // verify and its records are quarantined, which is what an admin must see.
  const origins = [peer, ...relays.filter((relay) => relay.status !== 'revoked')];
  const keys = await pinnedKeys(db, origins.map((origin) => origin.id));
  const byOrigin = new Map<string, Map<string, KeyObject>>();
  for (const origin of origins) byOrigin.set(origin.hubId, new Map());
  const hubOf = new Map(origins.map((origin) => [origin.id, origin.hubId]));
  for (const key of keys) byOrigin.get(hubOf.get(key.peerId)!)!.set(key.kid, createPublicKey({ key: key.publicJwk, format: 'jwk' }));
  const scopes = new Map(origins.map((origin) => [origin.hubId, origin.authorityScope]));
  return {
    peerKey: (keyid) => byOrigin.get(peer.hubId)?.get(keyid) ?? null,
    originKey(origin, verificationMethod) {
      const prefix = `${origin}/federation/v1/keys#`;
      if (!verificationMethod.startsWith(prefix)) return null;
      return byOrigin.get(origin)?.get(verificationMethod.slice(prefix.length)) ?? null;
    },
    scopeOf: (origin) => scopes.get(origin) ?? { officialKeyPrefixes: [], organisationIds: [] },
  };
}
