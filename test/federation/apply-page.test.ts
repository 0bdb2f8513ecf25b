import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { federationQuarantine, federationRecords } from '../../src/db/schema';
import { findCursor, findPeer, pausePulledPeer } from '../../src/db/queries/federation-pull.queries';
import { applyPage, positionOf } from '../../src/domain/federation/apply-page.service';
import { applySetwise } from '../../src/domain/federation/apply-setwise';
import { sized } from '../../src/domain/federation/page';
import { loadKeyRing } from '../../src/domain/federation/peer-keyring';
import { startFakePeer, type FakePeer } from '../helpers/fake-peer';
import { pinFakePeer } from '../helpers/federation-peer-row';
import { admin, createTestHub, type TestHub } from '../helpers/hub';

/**
 * The set-wise applier against a real database: pages signed by a fake peer, applied directly
 * (no HTTP), so a test can see which path a page took and what each entry became.
 */
const SELF = 'https://hub-b.example';
let hub: TestHub;
const peers: FakePeer[] = [];
let keyCounter = 500;

beforeAll(async () => {
  hub = await createTestHub({ HUB_FEDERATION: 'true', HUB_PUBLIC_URL: SELF });
});
afterAll(async () => {
  await Promise.all(peers.map((peer) => peer.close()));
  await hub?.close();
});

async function pinnedPeer() {
  const peer = await startFakePeer();
  peers.push(peer);
  const peerId = await pinFakePeer(hub.deps.hub, peer);
  const row = (await findPeer(hub.deps.hub.db, peerId))!;
  return { peer, row, keys: await loadKeyRing(hub.deps.hub.db, row) };
}

/** An organisation in the peer's scope (09…), one software of it and one release per version given. */
function catalogue(peer: FakePeer, versions: string[]) {
  const org = randomUUID();
  const software = randomUUID();
  keyCounter += 1;
  const entries = [
    peer.publish({ type: 'organisation', uuid: org, version: 1, record: { slug: `gemeinde-${org.slice(0, 8)}`, name: 'Gemeinde', kind: 'municipality', officialKey: `09${keyCounter}000` } }),
    peer.publish({ type: 'software', uuid: software, version: 1, record: { slug: `app-${software.slice(0, 8)}`, name: 'App', organisation: `${peer.hubId}/id/organisation/${org}`, listed: true } }),
    ...versions.map((version) => peer.publish({ type: 'release', uuid: randomUUID(), version: 1, record: { software: `${peer.hubId}/id/software/${software}`, version } })),
  ];
  return { org, software, entries };
}

async function apply(context: Awaited<ReturnType<typeof pinnedPeer>>, entries: unknown[]) {
  const cursor = await findCursor(hub.deps.hub.db, context.row.id);
  return applyPage(hub.deps.hub.db, {
    self: SELF,
    peer: context.row,
    keys: context.keys,
    entries: sized(entries),
    expectedPosition: positionOf(cursor),
    next: { cursor: null, logEpoch: null, highWaterMark: null, snapshot: null },
  });
}

describe('applying a page set-wise', () => {
  it('a software and its release naming an organisation earlier in the same page are written with it in one pass', async () => {
    const context = await pinnedPeer();
    const { software, entries } = catalogue(context.peer, ['1.0.0']);
    // The software's authority and reference are the organisation decided just before it, not a row read from the database.
    const decided = await hub.deps.hub.db.transaction((tx) => applySetwise(tx, { self: SELF, peer: context.row, keys: context.keys }, sized(entries), new Date()));
    expect(decided?.map((decision) => decision.action)).toEqual(['upsert', 'upsert', 'upsert']);
    const shown = await hub.app.inject(`/v1/software/${software}`);
    expect(shown.statusCode, shown.body).toBe(200);
    expect(shown.json()).toMatchObject({ provenance: { origin: context.peer.hubId } });
    const held = await hub.deps.hub.db.select().from(federationRecords).where(eq(federationRecords.receivedFrom, context.peer.hubId));
    expect(held.map((row) => row.type).sort()).toEqual(['organisation', 'release', 'software']);
  });

  it('a release before its software in the page is not authoritative, as entry by entry', async () => {
    const context = await pinnedPeer();
    const { entries } = catalogue(context.peer, ['2.0.0']);
    const [organisation, software, release] = entries;
    const decided = await hub.deps.hub.db.transaction((tx) => applySetwise(tx, { self: SELF, peer: context.row, keys: context.keys }, sized([organisation, release, software]), new Date()));
    expect(decided?.map((decision) => (decision.action === 'quarantine' ? decision.reason : decision.action))).toEqual(['upsert', 'entry.not-authoritative', 'upsert']);
  });

  it('a slug taken here gets the origin host appended, also for a second entry of the page wanting the slug the first one took', async () => {
    const context = await pinnedPeer();
    const local = await hub.app.inject({ method: 'POST', url: '/v1/organisations', headers: admin, payload: { name: 'Hiesige Gemeinde', kind: 'municipality' } });
    expect(local.statusCode, local.body).toBe(201);
    const taken = local.json().slug as string;
    keyCounter += 1;
    const entries = [randomUUID(), randomUUID()].map((uuid, i) =>
      context.peer.publish({ type: 'organisation', uuid, version: 1, record: { slug: i === 0 ? taken : `${taken}-127-0-0-1-${new URL(context.peer.hubId).port}`, name: 'Gleichnamig', kind: 'municipality', officialKey: `09${keyCounter}00${i}` } }),
    );
    const result = await apply(context, entries);
    expect(result).toMatchObject({ outcome: 'applied', counts: { applied: 2, quarantined: 0 } });
    const slugs = await Promise.all(entries.map(async (entry) => (await hub.app.inject(`/v1/organisations/${entry.id.split('/').at(-1)}`)).json().slug));
    expect(slugs[0]).toBe(`${taken}-127-0-0-1-${new URL(context.peer.hubId).port}`);
    // The second asked for exactly the slug the first was given: it is taken by then, so it is suffixed too.
    expect(slugs[1]).toBe(`${slugs[0]}-127-0-0-1-${new URL(context.peer.hubId).port}`);
  });

  it('a page where one entry breaks a constraint falls back to entry by entry: the rest applies, that one is quarantined', async () => {
    const context = await pinnedPeer();
    // Two releases of one software with the same version: release_software_version_key refuses the second.
    const { software, entries } = catalogue(context.peer, ['3.0.0', '3.0.0', '3.1.0']);
    let setwise: unknown = 'not run';
    const rolledBack = await hub.deps.hub.db
      .transaction(async (tx) => {
        setwise = await applySetwise(tx, { self: SELF, peer: context.row, keys: context.keys }, sized(entries), new Date());
        tx.rollback();
      })
      .catch((error: unknown) => error instanceof Error && error.message === 'Rollback');
    expect(rolledBack).toBe(true);
    // null: the multi-row write was refused and undone; the caller goes entry by entry.
    expect(setwise).toBeNull();

    const result = await apply(context, entries);
    expect(result).toMatchObject({ outcome: 'applied', counts: { applied: 4, skipped: 0, quarantined: 1 }, paused: null });
    const quarantined = await hub.deps.hub.db.select().from(federationQuarantine).where(eq(federationQuarantine.peerId, context.row.id));
    expect(quarantined).toEqual([expect.objectContaining({ reason: 'entry.unappliable', globalId: entries[3]!.id })]);
    const releases = await hub.app.inject(`/v1/software/${software}/releases`);
    expect(releases.statusCode, releases.body).toBe(200);
    expect(releases.json().items.map((item: { version: string }) => item.version).sort()).toEqual(['3.0.0', '3.1.0']);
  });

  it('a page of a peer revoked after the pull read it applies nothing, and the pull cannot turn the revoke into a pause', async () => {
    const context = await pinnedPeer();
    const { software, entries } = catalogue(context.peer, ['1.0.0']);
    // The pull read the peer (context.row, active); an admin revokes it while the page is fetched.
    const revoked = await hub.app.inject({ method: 'POST', url: `/v1/federation/peers/${context.row.id}/revoke`, headers: admin });
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(await apply(context, entries)).toEqual({ outcome: 'stopped', reason: 'peer is revoked' });
    expect((await hub.app.inject(`/v1/software/${software}`)).statusCode).toBe(404);
    // A failing pull pauses its peer (here: the peer's answer after the revoke is refused), but only one still pulled.
    await pausePulledPeer(hub.deps.hub.db, context.row.id, 'signature.refused: 401');
    expect((await findPeer(hub.deps.hub.db, context.row.id))!.status).toBe('revoked');
  });
});

