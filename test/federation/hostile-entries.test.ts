import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { federationQuarantine, federationRecords } from '../../src/db/schema';
import { pullPeer } from '../../src/domain/federation/pull.service';
import { startFakePeer, type FakePeer } from '../helpers/fake-peer';
import { peerRow, pinFakePeer } from '../helpers/federation-peer-row';
import { createTestHub, type TestHub } from '../helpers/hub';

/**
 * Design, "How to test it": relay and authority violations, and equivocation, through the real
 * pull path (signed pages from the fake peer on loopback, applied by hub B). Each bad entry comes
 * with five good ones, so the page stays under the pause threshold and the rest applies.
 */
let hub: TestHub;
const peers: FakePeer[] = [];
let keyCounter = 500;

beforeAll(async () => {
  hub = await createTestHub({ HUB_FEDERATION: 'true', HUB_PUBLIC_URL: 'https://hub-b.example' });
});
afterAll(async () => {
  await Promise.all(peers.map((peer) => peer.close()));
  await hub?.close();
});

/**
 * A peer B has bootstrapped from (one organisation), so what follows comes through its change
 * feed: the fake peer's snapshot serves every type on each type's request, and would show a bad
 * entry four times.
 */
async function fakePeer() {
  const peer = await startFakePeer();
  peers.push(peer);
  const peerId = await pinFakePeer(hub.deps.hub, peer);
  organisation(peer);
  await pullPeer(hub.deps.hub, peerId);
  return { peer, peerId };
}

/** An organisation under the official key prefix given (09 is the peer's scope, Bavaria). */
function organisation(peer: FakePeer, prefix = '09', version = 1, uuid = randomUUID()) {
  keyCounter += 1;
  return peer.publish({ type: 'organisation', uuid, version, record: { slug: `gemeinde-${uuid.slice(0, 8)}`, name: `Gemeinde ${keyCounter}`, kind: 'municipality', officialKey: `${prefix}${keyCounter}000` } });
}

const goodOnes = (peer: FakePeer) => Array.from({ length: 5 }, () => organisation(peer));

async function quarantined(peerId: string) {
  return hub.deps.hub.db.select().from(federationQuarantine).where(eq(federationQuarantine.peerId, peerId));
}

async function held(globalId: string) {
  const [row] = await hub.deps.hub.db.select().from(federationRecords).where(eq(federationRecords.globalId, globalId));
  return row;
}

describe('entries a peer may not send', () => {
  it('an organisation outside the peer authority scope is quarantined as not authoritative; the rest applies', async () => {
    const { peer, peerId } = await fakePeer();
    const good = goodOnes(peer);
    // 05: North Rhine-Westphalia, not the peer's (Bavaria, 09).
    const outside = organisation(peer, '05');
    const outcome = await pullPeer(hub.deps.hub, peerId);
    expect(outcome.counts).toMatchObject({ applied: good.length, quarantined: 1 });
    expect((await quarantined(peerId)).map((row) => [row.reason, row.globalId])).toEqual([['entry.not-authoritative', outside.id]]);
    expect(await held(outside.id)).toBeUndefined();
    expect(await held(good[0]!.id)).toMatchObject({ status: 'active', originHub: peer.hubId });
  });

  it('an entry of another origin relayed by a peer not allowed to relay it is quarantined, even with a valid proof of that origin', async () => {
    const [{ peer, peerId }, other] = await Promise.all([fakePeer(), fakePeer()]);
    const good = goodOnes(peer);
    // A genuine entry of the other hub (pinned here too, so its proof verifies), relayed by `peer`.
    const relayed = organisation(other.peer);
    peer.append({ ...relayed, via: [other.peer.hubId] });
    const outcome = await pullPeer(hub.deps.hub, peerId);
    expect(outcome.counts).toMatchObject({ applied: good.length, quarantined: 1 });
    expect((await quarantined(peerId)).map((row) => [row.reason, row.origin])).toEqual([['entry.origin-not-allowed', other.peer.hubId]]);
    expect(await held(relayed.id)).toBeUndefined();
  });

  it('a second content under a version already applied is quarantined as equivocation; the first content stays', async () => {
    const { peer, peerId } = await fakePeer();
    const uuid = randomUUID();
    const first = organisation(peer, '09', 1, uuid);
    expect((await pullPeer(hub.deps.hub, peerId)).counts).toMatchObject({ applied: 1 });
    expect(await held(first.id)).toMatchObject({ originVersion: 1, status: 'active' });
    const before = await held(first.id);

    const good = goodOnes(peer);
    const lie = peer.publish({ type: 'organisation', uuid, version: 1, record: { ...first.record, name: 'Gemeinde mit anderem Namen' } });
    const outcome = await pullPeer(hub.deps.hub, peerId);
    expect(outcome.counts).toMatchObject({ applied: good.length, quarantined: 1 });
    const [row] = await hub.deps.hub.db
      .select()
      .from(federationQuarantine)
      .where(and(eq(federationQuarantine.peerId, peerId), eq(federationQuarantine.globalId, lie.id)));
    expect(row).toMatchObject({ reason: 'entry.equivocation', originVersion: 1 });
    expect(await held(first.id)).toMatchObject({ contentDigest: before!.contentDigest, originVersion: 1 });
    expect((await hub.app.inject(`/v1/organisations/${uuid}`)).json()).toMatchObject({ name: first.record!.name });
    expect(await peerRow(hub.deps.hub, peerId)).toMatchObject({ status: 'active' });
  });
});
