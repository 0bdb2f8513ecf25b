import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { federationQuarantine, federationRecords } from '../../src/db/schema';
import { createPeerClient } from '../../src/domain/federation/peer-client';
import { PeerFailure } from '../../src/domain/federation/peer-failure';
import { runPullJob } from '../../src/domain/federation/pull-job';
import { pullPeer } from '../../src/domain/federation/pull.service';
import type { InProcessQueue } from '../../src/jobs/in-process-queue';
import { startFakePeer, type FakePeer } from '../helpers/fake-peer';
import { cursorRow, peerRow, pinFakePeer } from '../helpers/federation-peer-row';
import { admin, createTestHub, type TestHub } from '../helpers/hub';
import { pinPeer } from '../helpers/pin-peer';

/**
 * Hub B pulling from the hostile fake peer on loopback, against a real database (PostgreSQL, and
 * PGlite in the embedded project). Every scenario starts from its own fake peer, so cursors and
 * counters are per test.
 */
let hub: TestHub;
const peers: FakePeer[] = [];
let keyCounter = 100;

beforeAll(async () => {
  hub = await createTestHub({ HUB_FEDERATION: 'true', HUB_PUBLIC_URL: 'https://hub-b.example' });
});
afterAll(async () => {
  await Promise.all(peers.map((peer) => peer.close()));
  await hub?.close();
});

async function fakePeer(scope?: { anyOrganisation: boolean }) {
  const peer = await startFakePeer({ pageSize: 10 });
  peers.push(peer);
  const peerId = await pinFakePeer(hub.deps.hub, peer, { scope });
  return { peer, peerId };
}

/** An organisation with an official key in Bavaria (09…, the peer's scope) and `software` entries of it. */
function publishCatalogue(peer: FakePeer, software = 1) {
  const org = randomUUID();
  const orgId = `${peer.hubId}/id/organisation/${org}`;
  keyCounter += 1;
  peer.publish({ type: 'organisation', uuid: org, version: 1, record: { slug: `markt-${org.slice(0, 8)}`, name: `Markt ${org.slice(0, 4)}`, kind: 'municipality', officialKey: `09${keyCounter}000`, memberKeys: [], codeHosting: [] } });
  const items = Array.from({ length: software }, () => {
    const uuid = randomUUID();
    const slug = `app-${uuid.slice(0, 8)}`;
    peer.publish({ type: 'software', uuid, version: 1, record: { slug, name: `App ${uuid.slice(0, 4)}`, organisation: orgId, licence: 'EUPL-1.2', categories: [], features: [], listed: true } });
    return { uuid, slug, id: `${peer.hubId}/id/software/${uuid}` };
  });
  return { org, orgId, software: items };
}

const shortClient = () =>
  createPeerClient({
    signingKey: { privateKey: hub.deps.hub.federationKeys!.active.privateKey, keyid: hub.deps.hub.federationKeys!.active.kid },
    allowPrivateHosts: true,
    connectTimeoutMs: 1000,
    headersTimeoutMs: 500,
    bodyTimeoutMs: 1200,
    maxBytes: 256 * 1024,
  });

async function pullFails(peerId: string, client = shortClient()) {
  try {
    const error = await pullPeer(hub.deps.hub, peerId, { client }).then(() => null, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(PeerFailure);
    return error as PeerFailure;
  } finally {
    await client.close();
  }
}

describe('pulling a peer', () => {
  it('bootstraps by snapshot: the peer software is readable through our API, with its origin kept', async () => {
    const { peer, peerId } = await fakePeer();
    const { software } = publishCatalogue(peer, 3);
    const outcome = await pullPeer(hub.deps.hub, peerId);
    expect(outcome).toMatchObject({ stopped: null, hasMore: false, counts: { applied: 4, quarantined: 0 } });
    const response = await hub.app.inject(`/v1/software/${software[0]!.slug}`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ name: expect.stringMatching(/^App /), licence: 'EUPL-1.2' });
    const [record] = await hub.deps.hub.db.select().from(federationRecords).where(eq(federationRecords.globalId, software[0]!.id));
    expect(record).toMatchObject({ originHub: peer.hubId, receivedFrom: peer.hubId, originVersion: 1, status: 'active' });
    expect(await cursorRow(hub.deps.hub, peerId)).toMatchObject({ cursor: '4', snapshot: null, snapshotCompletedAt: expect.any(Date) });
    expect(peer.requests.every((request) => request.verified)).toBe(true);
  });

  it('then follows the change feed: updates apply, a replayed older version is skipped, a delete deactivates', async () => {
    const { peer, peerId } = await fakePeer();
    const { software } = publishCatalogue(peer);
    await pullPeer(hub.deps.hub, peerId);
    const target = software[0]!;
    const organisation = (await hub.app.inject(`/v1/software/${target.slug}`)).json().organisation;
    expect(organisation).toBeTruthy();
    const record = { slug: target.slug, name: 'Neuer Name', organisation: `${peer.hubId}/id/organisation/${(await orgOf(target.id))}`, listed: true };
    peer.publish({ type: 'software', uuid: target.uuid, version: 2, record });
    peer.publish({ type: 'software', uuid: target.uuid, version: 1, record: { ...record, name: 'Alter Name' } });
    const second = await pullPeer(hub.deps.hub, peerId);
    expect(second.counts).toEqual({ applied: 1, skipped: 1, quarantined: 0 });
    expect((await hub.app.inject(`/v1/software/${target.slug}`)).json()).toMatchObject({ name: 'Neuer Name' });
    peer.publish({ type: 'software', uuid: target.uuid, version: 3, op: 'delete' });
    expect((await pullPeer(hub.deps.hub, peerId)).counts.applied).toBe(1);
    const [held] = await hub.deps.hub.db.select().from(federationRecords).where(eq(federationRecords.globalId, target.id));
    expect(held).toMatchObject({ status: 'tombstoned', originVersion: 3 });
  });

  it('quarantines one bad entry and applies the rest of the page with the cursor', async () => {
    const { peer, peerId } = await fakePeer();
    publishCatalogue(peer);
    await pullPeer(hub.deps.hub, peerId);
    const { software } = publishCatalogue(peer, 8);
    peer.mode = 'schema-invalid';
    const outcome = await pullPeer(hub.deps.hub, peerId);
    expect(outcome.counts).toMatchObject({ applied: 8, quarantined: 1 });
    const held = await hub.deps.hub.db.select().from(federationQuarantine).where(eq(federationQuarantine.peerId, peerId));
    expect(held).toEqual([expect.objectContaining({ reason: 'entry.schema-invalid', status: 'held' })]);
    expect((await hub.app.inject(`/v1/software/${software[7]!.slug}`)).statusCode).toBe(200);
    expect((await peerRow(hub.deps.hub, peerId)).status).toBe('active');

    // The admin sees it with its reason, cannot force it in, and discards it.
    const listed = await hub.app.inject({ url: `/v1/federation/peers/${peerId}/quarantine`, headers: admin });
    expect(listed.statusCode, listed.body).toBe(200);
    expect(listed.json().items).toEqual([expect.objectContaining({ id: held[0]!.id, reason: 'entry.schema-invalid', status: 'held' })]);
    const forced = await hub.app.inject({ method: 'POST', url: `/v1/federation/peers/${peerId}/quarantine/${held[0]!.id}/release`, headers: admin });
    expect(forced.statusCode).toBe(409);
    expect(forced.json().type).toContain('federation.release_not_possible');
    const discarded = await hub.app.inject({ method: 'POST', url: `/v1/federation/peers/${peerId}/quarantine/${held[0]!.id}/discard`, headers: admin });
    expect(discarded.json()).toEqual({ id: held[0]!.id, status: 'discarded' });
    expect((await hub.app.inject({ url: `/v1/federation/peers/${peerId}/quarantine`, headers: admin })).json().items).toEqual([]);
    const again = await hub.app.inject({ method: 'POST', url: `/v1/federation/peers/${peerId}/quarantine/${held[0]!.id}/discard`, headers: admin });
    expect(again.statusCode).toBe(409);
  });

  it('pauses the peer when more than a fifth of a page is quarantined', async () => {
    const { peer, peerId } = await fakePeer();
    publishCatalogue(peer);
    await pullPeer(hub.deps.hub, peerId);
    // Organisations outside the peer's scope (08…: Baden-Württemberg): not authoritative.
    for (let i = 0; i < 3; i++) peer.publish({ type: 'organisation', uuid: randomUUID(), version: 1, record: { slug: `x-${randomUUID().slice(0, 8)}`, name: 'Fremd', kind: 'municipality', officialKey: `08${keyCounter++}111` } });
    publishCatalogue(peer, 2);
    const outcome = await pullPeer(hub.deps.hub, peerId);
    expect(outcome.stopped).toMatch(/^federation.quarantine-rate/);
    expect(await peerRow(hub.deps.hub, peerId)).toMatchObject({ status: 'paused', entriesQuarantined: 3 });
    expect((await pullPeer(hub.deps.hub, peerId)).stopped).toBe('peer is paused');
  });

  it('takes organisations under any official key from a peer whose scope is any organisation', async () => {
    const { peer, peerId } = await fakePeer({ anyOrganisation: true });
    publishCatalogue(peer);
    await pullPeer(hub.deps.hub, peerId);
    for (let i = 0; i < 3; i++) peer.publish({ type: 'organisation', uuid: randomUUID(), version: 1, record: { slug: `y-${randomUUID().slice(0, 8)}`, name: 'Anderswo', kind: 'municipality', officialKey: `08${keyCounter++}222` } });
    const outcome = await pullPeer(hub.deps.hub, peerId);
    expect(outcome.counts).toMatchObject({ applied: 3, quarantined: 0 });
  });

  it('keeps the cursor when the peer hangs, drips, sends too much, HTML, broken JSON, a replayed or a forged answer', async () => {
    const { peer, peerId } = await fakePeer();
    publishCatalogue(peer);
    await pullPeer(hub.deps.hub, peerId);
    const before = await cursorRow(hub.deps.hub, peerId);
    publishCatalogue(peer);
    const kinds: Record<string, string> = {};
    for (const mode of ['down', 'hang', 'drip', 'huge', 'html', 'bad-json', 'replay', 'forged'] as const) {
      peer.mode = mode;
      kinds[mode] = (await pullFails(peerId).catch((error: Error) => ({ kind: `no failure: ${error.message.slice(0, 80)}` }))).kind;
      expect({ mode, cursor: await cursorRow(hub.deps.hub, peerId) }).toEqual({ mode, cursor: before });
    }
    expect(kinds).toEqual({ down: 'unreachable', hang: 'timeout', drip: 'timeout', huge: 'too-large', html: 'not-json', 'bad-json': 'bad-json', replay: 'unsigned', forged: 'unsigned' });
    const row = await peerRow(hub.deps.hub, peerId);
    expect(row).toMatchObject({ status: 'active', lastError: expect.stringMatching(/^federation.unsigned/), failureDays: [expect.any(String)] });
    peer.mode = 'ok';
    expect((await pullPeer(hub.deps.hub, peerId)).counts.applied).toBe(2);
  });

  it('pauses a peer whose highWaterMark goes backwards, without applying the page', async () => {
    const { peer, peerId } = await fakePeer();
    publishCatalogue(peer);
    await pullPeer(hub.deps.hub, peerId);
    publishCatalogue(peer);
    await pullPeer(hub.deps.hub, peerId);
    const before = await cursorRow(hub.deps.hub, peerId);
    publishCatalogue(peer);
    peer.mode = 'rollback';
    const error = await pullFails(peerId);
    expect(error).toMatchObject({ kind: 'rollback', permanent: true });
    expect(await peerRow(hub.deps.hub, peerId)).toMatchObject({ status: 'paused', statusReason: expect.stringMatching(/rollback/) });
    expect((await cursorRow(hub.deps.hub, peerId))?.cursor).toBe(before?.cursor);
  });

  it('pauses a peer that refuses our signature, and the job does not retry', async () => {
    const { peer, peerId } = await fakePeer();
    peer.trust('someone-else', peer.publicKey);
    const error = await pullFails(peerId);
    expect(error).toMatchObject({ kind: 'refused', permanent: true });
    expect(await peerRow(hub.deps.hub, peerId)).toMatchObject({ status: 'paused' });
  });

  it('waits out a 429 with Retry-After by enqueueing the pull again, spending no attempt', async () => {
    const { peer, peerId } = await fakePeer();
    peer.mode = '429';
    peer.retryAfterSeconds = 3600;
    await expect(runPullJob(hub.deps.hub, peerId, { signal: new AbortController().signal })).resolves.toBeUndefined();
    const queue = hub.deps.hub.queue as InProcessQueue;
    expect((await queue.depth({ name: 'federation-pull' } as never)).delayed).toBeGreaterThanOrEqual(1);
    expect((await peerRow(hub.deps.hub, peerId)).failureDays).toEqual([]);
  });

  it('resyncs by snapshot after a 410 and resumes the feed from the snapshot', async () => {
    const { peer, peerId } = await fakePeer();
    publishCatalogue(peer);
    await pullPeer(hub.deps.hub, peerId);
    const { software } = publishCatalogue(peer, 2);
    peer.mode = 'gone';
    const outcome = await pullPeer(hub.deps.hub, peerId);
    expect(outcome.stopped).toBeNull();
    expect((await hub.app.inject(`/v1/software/${software[1]!.slug}`)).statusCode).toBe(200);
    expect(await cursorRow(hub.deps.hub, peerId)).toMatchObject({ cursor: '5', snapshot: null });
  });

  it('holds a resync that would delete more than max(50, 5 %) of the peer records until an admin releases it', async () => {
    const { peer, peerId } = await fakePeer();
    const { software } = publishCatalogue(peer, 60);
    await pullPeer(hub.deps.hub, peerId);
    for (const item of software) peer.publish({ type: 'software', uuid: item.uuid, version: 2, op: 'delete' });
    peer.compactBefore(1000);
    await pullPeer(hub.deps.hub, peerId);
    // The log says deleted, but the snapshot is what we read after 410: nothing lists them.
    expect((await hub.app.inject(`/v1/software/${software[0]!.slug}`)).statusCode).toBe(200);
    const row = await peerRow(hub.deps.hub, peerId);
    expect(row.deletesHeld).toBe(60);
    // The admin releases the held batch through any of its entries.
    const [entry] = (await hub.app.inject({ url: `/v1/federation/peers/${peerId}/quarantine`, headers: admin })).json().items;
    expect(entry).toMatchObject({ reason: 'snapshot.mass-delete-held' });
    const released = await hub.app.inject({ method: 'POST', url: `/v1/federation/peers/${peerId}/quarantine/${entry.id}/release`, headers: admin });
    expect(released.json()).toEqual({ id: entry.id, status: 'released', deletesApplied: 60 });
    const [held] = await hub.deps.hub.db.select().from(federationRecords).where(eq(federationRecords.globalId, software[0]!.id));
    expect(held?.status).toBe('tombstoned');
  });

  it('asks a peer whose descriptor announces a small maximum page size for pages of at most that size, snapshot and changes alike', async () => {
    // The fake peer would serve 50 entries a page; it announces 4. Pinned through the admin API, as an admin does.
    const peer = await startFakePeer({ pageSize: 50, maxPageSize: 4 });
    peers.push(peer);
    const peerId = await pinPeer(hub, peer.hubId);
    const scope = await hub.app.inject({ method: 'PATCH', url: `/v1/federation/peers/${peerId}`, headers: admin, payload: { authorityScope: { officialKeyPrefixes: ['09'], organisationIds: [] } } });
    expect(scope.statusCode, scope.body).toBe(200);
    peer.trust(hub.deps.hub.federationKeys!.active.kid, hub.deps.hub.federationKeys!.active.publicKey);
    expect((await peerRow(hub.deps.hub, peerId)).descriptor).toMatchObject({ maxPageSize: 4 });

    publishCatalogue(peer, 9);
    expect(await pullPeer(hub.deps.hub, peerId)).toMatchObject({ stopped: null, hasMore: false, counts: { applied: 10, quarantined: 0 } });
    publishCatalogue(peer, 9);
    expect(await pullPeer(hub.deps.hub, peerId)).toMatchObject({ stopped: null, hasMore: false, counts: { applied: 10, quarantined: 0 } });

    const limits = (path: string) => peer.requests.filter((request) => request.url.startsWith(path)).map((request) => Number(new URL(request.url, peer.hubId).searchParams.get('limit')));
    // Nine software entries at four a page are three snapshot pages, ten changes at most four a page three more.
    expect(limits('/federation/v1/snapshot').length).toBeGreaterThanOrEqual(4);
    expect(limits('/federation/v1/changes').length).toBeGreaterThanOrEqual(3);
    expect(new Set([...limits('/federation/v1/snapshot'), ...limits('/federation/v1/changes')])).toEqual(new Set([4]));
  });
});

async function orgOf(softwareGlobalId: string): Promise<string> {
  const [row] = await hub.deps.hub.db.select().from(federationRecords).where(eq(federationRecords.globalId, softwareGlobalId));
  return String((row!.entry.record as Record<string, unknown>).organisation).split('/').pop()!;
}
