import { eq } from 'drizzle-orm';
import type { HubContext } from '../../src/domain/context';
import { federationCursors, federationPeerKeys, federationPeers, type AuthorityScope } from '../../src/db/schema';
import type { FakePeer } from './fake-peer';

/**
 * Puts a fake peer on a hub's allow-list with its key pinned, as an admin's confirmation would,
 * and lets the fake peer trust the hub's key. Straight into the tables: the pulling side is under
 * test here, not the admin API (test/http covers that).
 */
export async function pinFakePeer(
  hub: HubContext,
  peer: FakePeer,
  options: { scope?: Partial<AuthorityScope>; relayOrigins?: string[]; pullIntervalSeconds?: number } = {},
): Promise<string> {
  const jwk = peer.publicKey.export({ format: 'jwk' });
  const [row] = await hub.db
    .insert(federationPeers)
    .values({
      hubId: peer.hubId,
      baseUrl: peer.hubId,
      authorityScope: { officialKeyPrefixes: options.scope?.officialKeyPrefixes ?? ['09'], organisationIds: options.scope?.organisationIds ?? [], anyOrganisation: options.scope?.anyOrganisation },
      relayOrigins: options.relayOrigins ?? [],
      pullIntervalSeconds: options.pullIntervalSeconds ?? 300,
    })
    .returning({ id: federationPeers.id });
  await hub.db.insert(federationPeerKeys).values({ peerId: row!.id, kid: peer.kid, publicJwk: { kty: jwk.kty!, crv: jwk.crv!, x: jwk.x! }, status: 'pinned', pinnedAt: new Date() });
  peer.trust(hub.federationKeys!.active.kid, hub.federationKeys!.active.publicKey);
  return row!.id;
}

export async function peerRow(hub: HubContext, peerId: string) {
  const [row] = await hub.db.select().from(federationPeers).where(eq(federationPeers.id, peerId));
  return row!;
}

export async function cursorRow(hub: HubContext, peerId: string) {
  const [row] = await hub.db.select().from(federationCursors).where(eq(federationCursors.peerId, peerId));
  return row ?? null;
}
