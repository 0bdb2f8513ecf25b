import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { federationQuarantine } from '../../src/db/schema';
import { pullPeer } from '../../src/domain/federation/pull.service';
import { admin } from '../helpers/hub';
import { threeHubs } from '../helpers/three-hubs';

/** The three hubs of test/helpers/three-hubs: B pulls A, C pulls B (relaying A), A pulls C (the loop). */
describe('three hubs: a relay and a cycle', () => {
  const { hubs, url, peer, start, close, createOnA, record } = threeHubs();

  beforeAll(start, 240_000);
  afterAll(close);

  it("C shows A's software relayed by B, with A as its origin and A's proof checked", async () => {
    const software = await createOnA('Ratsinformation Relais', '09162000');
    expect((await pullPeer(hubs.b.deps.hub, peer.aOnB)).counts.quarantined).toBe(0);
    const onC = await pullPeer(hubs.c.deps.hub, peer.bOnC);
    expect(onC).toMatchObject({ stopped: null, counts: { quarantined: 0 } });

    const reply = await hubs.c.app.inject(`/v1/software/${software.slug}`);
    expect(reply.statusCode, reply.body).toBe(200);
    expect(reply.json()).toMatchObject({ name: 'Ratsinformation Relais', provenance: { origin: url.a } });
    expect(await record(hubs.c, software.id)).toMatchObject({ originHub: url.a, receivedFrom: url.b, status: 'active', globalId: `${url.a}/id/software/${software.id}` });
  });

  it('an update and a deactivation on A travel A → B → C, with a rising version; an idle pull applies nothing', async () => {
    const software = await createOnA('Baumkataster Relais', '09163000');
    await pullPeer(hubs.b.deps.hub, peer.aOnB);
    await pullPeer(hubs.c.deps.hub, peer.bOnC);

    const renamed = await hubs.a.app.inject({ method: 'PATCH', url: `/v1/software/${software.id}`, headers: admin, payload: { name: 'Baumkataster Relais 2' } });
    expect(renamed.statusCode, renamed.body).toBe(200);
    await pullPeer(hubs.b.deps.hub, peer.aOnB);
    await pullPeer(hubs.c.deps.hub, peer.bOnC);
    expect((await hubs.c.app.inject(`/v1/software/${software.slug}`)).json().name).toBe('Baumkataster Relais 2');
    const version = (await record(hubs.c, software.id))!.originVersion;

    // Deactivating on A (kept for links, hidden from lists) is an update of the record: C follows it.
    const removed = await hubs.a.app.inject({ method: 'DELETE', url: `/v1/software/${software.id}`, headers: admin });
    expect([200, 204], removed.body).toContain(removed.statusCode);
    await pullPeer(hubs.b.deps.hub, peer.aOnB);
    await pullPeer(hubs.c.deps.hub, peer.bOnC);
    expect((await hubs.c.app.inject(`/v1/software/${software.slug}`)).json()).toMatchObject({ active: false, name: 'Baumkataster Relais 2' });
    const listed = (await hubs.c.app.inject('/v1/software?q=Baumkataster')).json().items as { slug: string }[];
    expect(listed.map((item) => item.slug)).not.toContain(software.slug);
    expect((await record(hubs.c, software.id))!.originVersion).toBeGreaterThan(version);

    // Nothing new: a pull from the same cursor applies nothing.
    expect((await pullPeer(hubs.c.deps.hub, peer.bOnC)).counts.applied).toBe(0);
  });

  it('A pulling C closes the loop: its own records coming back apply nothing and duplicate nothing', async () => {
    const software = await createOnA('Kreislauf Portal', '09164000');
    await pullPeer(hubs.b.deps.hub, peer.aOnB);
    await pullPeer(hubs.c.deps.hub, peer.bOnC);
    const before = (await hubs.a.app.inject(`/v1/software/${software.slug}`)).json();

    // C's feed holds A's records as it received them from B: whatever of them reaches A is its own.
    const back = await pullPeer(hubs.a.deps.hub, peer.cOnA);
    expect(back.stopped).toBeNull();
    expect(back.counts).toMatchObject({ applied: 0, quarantined: 0 });
    const after = (await hubs.a.app.inject(`/v1/software/${software.slug}`)).json();
    expect(after).toEqual(before);
    expect(after.provenance).toMatchObject({ origin: 'local' });
    const list = (await hubs.a.app.inject('/v1/software?q=Kreislauf')).json();
    expect(list.items.filter((item: { slug: string }) => item.slug === software.slug)).toHaveLength(1);
  });

  it('C quarantines a relayed record whose content B changed: the proof of A no longer verifies', async () => {
    const software = await createOnA('Mängelmelder Relais', '09165000');
    await pullPeer(hubs.b.deps.hub, peer.aOnB);
    // B (a relay turned hostile, or a bit flip) changes A's record in what it serves from its log.
    await hubs.b.deps.hub.db.execute(
      sql`UPDATE federation_changelog SET entry = jsonb_set(entry, '{record,name}', '"Mängelmelder gefälscht"') WHERE id = ${`${url.a}/id/software/${software.id}`}`,
    );
    const onC = await pullPeer(hubs.c.deps.hub, peer.bOnC);
    expect(onC.counts.quarantined).toBeGreaterThan(0);
    expect((await hubs.c.app.inject(`/v1/software/${software.slug}`)).statusCode).toBe(404);
    const held = await hubs.c.deps.hub.db.select().from(federationQuarantine).where(and(eq(federationQuarantine.peerId, peer.bOnC), eq(federationQuarantine.status, 'held')));
    expect(held.map((row) => row.reason)).toContain('entry.proof-invalid');
  });
});
