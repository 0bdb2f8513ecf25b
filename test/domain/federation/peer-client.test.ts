import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checkProtocol, createPeerClient, type PeerTarget } from '../../../src/domain/federation/peer-client';
import { PeerFailure } from '../../../src/domain/federation/peer-failure';
import { startFakePeer, type FakePeer } from '../../helpers/fake-peer';

/**
 * The pull client against the hostile fake peer on loopback. Time limits are shortened here (the
 * production values are 5/10/15 s): the behaviour is the same, the test just waits less.
 */
const ours = generateKeyPairSync('ed25519');
const signingKey = { privateKey: ours.privateKey, keyid: 'hub-b-key' };
const client = createPeerClient({ signingKey, allowPrivateHosts: true, connectTimeoutMs: 1000, headersTimeoutMs: 700, bodyTimeoutMs: 1500, maxBytes: 512 * 1024 });
let peer: FakePeer;
let target: PeerTarget;

async function failure(promise: Promise<unknown>): Promise<PeerFailure> {
  const error = await promise.then(() => null, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(PeerFailure);
  return error as PeerFailure;
}

beforeAll(async () => {
  peer = await startFakePeer();
  target = { baseUrl: peer.hubId, keyFor: (keyid) => (keyid === peer.kid ? peer.publicKey : null) };
  peer.trust(signingKey.keyid, ours.publicKey);
  peer.publish({ uuid: '5f0c1c1e-0000-4000-8000-000000000001', version: 1 });
  peer.publish({ uuid: '5f0c1c1e-0000-4000-8000-000000000002', version: 1 });
});
afterAll(async () => {
  await peer.close();
  await client.close();
});
beforeEach(() => {
  peer.mode = 'ok';
});

describe('the signed pull client', () => {
  it('signs its request, checks the signed answer and returns the page', async () => {
    const answer = await client.get(target, '/federation/v1/changes?since=0&limit=10');
    expect(answer.status).toBe(200);
    expect((answer.body as { entries: unknown[] }).entries).toHaveLength(2);
    expect(peer.requests.at(-1)).toMatchObject({ url: '/federation/v1/changes?since=0&limit=10', verified: true });
  });

  it('treats a peer that refuses our signature as refused: permanent, and the peer is paused', async () => {
    peer.trust(signingKey.keyid, generateKeyPairSync('ed25519').publicKey);
    try {
      const error = await failure(client.get(target, '/federation/v1/changes?since=0'));
      expect(error).toMatchObject({ kind: 'refused', permanent: true, pausesPeer: true, status: 401 });
    } finally {
      peer.trust(signingKey.keyid, ours.publicKey);
    }
  });

  it('refuses an unknown protocol major as permanent and pausing', () => {
    expect(() => checkProtocol({ protocol: '2.0' })).toThrow(expect.objectContaining({ kind: 'protocol', permanent: true, pausesPeer: true }));
    expect(() => checkProtocol({ protocol: '1.7' })).not.toThrow();
  });

  it('reports a peer that cuts the connection as unreachable, to be retried', async () => {
    peer.mode = 'down';
    expect(await failure(client.get(target, '/federation/v1/changes'))).toMatchObject({ kind: 'unreachable', permanent: false });
  });

  it('gives up on a peer that never answers after the headers time limit', async () => {
    peer.mode = 'hang';
    expect(await failure(client.get(target, '/federation/v1/changes'))).toMatchObject({ kind: 'timeout', permanent: false });
  });

  it('gives up on a peer dripping one byte a second after the body time limit in total', async () => {
    peer.mode = 'drip';
    expect(await failure(client.get(target, '/federation/v1/changes'))).toMatchObject({ kind: 'timeout' });
  });

  it('cuts off an answer larger than the page cap', async () => {
    peer.mode = 'huge';
    expect(await failure(client.get(target, '/federation/v1/changes'))).toMatchObject({ kind: 'too-large' });
  });

  it('refuses HTML, and signed text that is not JSON', async () => {
    peer.mode = 'html';
    expect(await failure(client.get(target, '/federation/v1/changes'))).toMatchObject({ kind: 'not-json' });
    peer.mode = 'bad-json';
    expect(await failure(client.get(target, '/federation/v1/changes'))).toMatchObject({ kind: 'bad-json' });
  });

  it('refuses an answer recorded for another request, and one signed by a key we did not pin', async () => {
    await client.get(target, '/federation/v1/changes?since=0');
    peer.mode = 'replay';
    expect(await failure(client.get(target, '/federation/v1/changes?since=1'))).toMatchObject({ kind: 'unsigned' });
    peer.mode = 'forged';
    expect(await failure(client.get(target, '/federation/v1/changes?since=1'))).toMatchObject({ kind: 'unsigned' });
  });

  it('passes on Retry-After of a 429 or 503 so the job waits without spending an attempt', async () => {
    peer.retryAfterSeconds = 7;
    for (const mode of ['429', '503'] as const) {
      peer.mode = mode;
      expect(await failure(client.get(target, '/federation/v1/changes'))).toMatchObject({ kind: 'rate-limited', retryAfterMs: 7000, permanent: false });
    }
  });

  it('returns a signed 410 to the caller, which resyncs', async () => {
    peer.mode = 'gone';
    const answer = await client.get(target, '/federation/v1/changes?since=1');
    expect(answer).toMatchObject({ status: 410, body: { code: 'federation.cursor-expired' } });
  });
});
