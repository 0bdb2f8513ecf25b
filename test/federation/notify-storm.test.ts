import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pullPeer } from '../../src/domain/federation/pull.service';
import type { InProcessQueue } from '../../src/jobs/in-process-queue';
import { startFakePeer, type FakePeer } from '../helpers/fake-peer';
import { pinFakePeer } from '../helpers/federation-peer-row';
import { createTestHub, type TestHub } from '../helpers/hub';

/**
 * Design, "How to test it": notify storms deduplicated. A peer sends many signed notifies at once
 * through our API; a notify only makes a pull happen sooner, so they come to one pull of that
 * peer (two at most: one running, and one kept for after it, so a change notified during a pull
 * is not lost). The embedded job runner here; test/workers/federation-pull.test.ts enqueues a
 * storm on BullMQ.
 */
const SELF = 'https://hub-b.example';
let hub: TestHub;
let peer: FakePeer;
let peerId: string;

beforeAll(async () => {
  hub = await createTestHub({ HUB_FEDERATION: 'true', HUB_PUBLIC_URL: SELF });
  peer = await startFakePeer();
  peerId = await pinFakePeer(hub.deps.hub, peer);
});
afterAll(async () => {
  await peer?.close();
  await hub?.close();
});

function notify(highWaterMark: number) {
  const body = JSON.stringify({ hub: peer.hubId, highWaterMark });
  const headers = peer.signRequest({ method: 'POST', targetUri: `${SELF}/federation/v1/notify`, body });
  return hub.app.inject({ method: 'POST', url: '/federation/v1/notify', headers: { ...headers, 'content-type': 'application/json' }, payload: body });
}

describe('a storm of notifies', () => {
  it('is one pull of the peer, or two when one was running: each notify is accepted, the pulls are deduplicated', async () => {
    const org = randomUUID();
    peer.publish({ type: 'organisation', uuid: org, version: 1, record: { slug: `markt-${org.slice(0, 8)}`, name: 'Markt', kind: 'municipality', officialKey: '09474000' } });
    await pullPeer(hub.deps.hub, peerId);
    const uuid = randomUUID();
    peer.publish({ type: 'software', uuid, version: 1, record: { slug: `app-${uuid.slice(0, 8)}`, name: 'App', organisation: `${peer.hubId}/id/organisation/${org}`, listed: true } });
    const before = peer.requests.length;

    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => notify(2 + i)));
    expect(answers.map((answer) => answer.statusCode)).toEqual(answers.map(() => 202));
    const queued = answers.filter((answer) => answer.json().deduplicated === false);
    expect(queued.length).toBeGreaterThanOrEqual(1);
    expect(queued.length).toBeLessThanOrEqual(2);
    await (hub.deps.hub.queue as InProcessQueue).idle();

    const pulls = peer.requests.slice(before).filter((request) => request.url.startsWith('/federation/v1/changes'));
    expect(pulls.length).toBeGreaterThanOrEqual(1);
    expect(pulls.length).toBeLessThanOrEqual(2);
    expect((await hub.app.inject(`/v1/software/app-${uuid.slice(0, 8)}`)).statusCode).toBe(200);
  });
});
