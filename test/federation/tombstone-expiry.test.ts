import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteCrawledReleases, insertCrawledReleases } from '../../src/db/queries/releases.queries';
import { federationPeers } from '../../src/db/schema';
import { compactFederationLog } from '../../src/domain/federation/log-compaction.service';
import { signRecord } from '../../src/domain/federation/proof';
import { pullPeer } from '../../src/domain/federation/pull.service';
import { startFakePeer } from '../helpers/fake-peer';
import { pinFakePeer } from '../helpers/federation-peer-row';
import { admin, type TestHub } from '../helpers/hub';
import { threeHubs } from '../helpers/three-hubs';

/**
 * Design, "How to test it": tombstone expiry and re-creation, on the three hubs of
 * test/helpers/three-hubs (B pulls A, C pulls B relaying A). Time moves on only for the daily
 * compaction job (its injectable clock); pulls run at the real time, as after the days passed.
 * A's release is a crawled tag (written with the crawl's own queries): a tag that disappears is
 * the way a release row goes at its origin, and the same tag pushed again is a new release.
 */
describe('tombstone expiry and re-creation across three hubs', () => {
  const { hubs, url, peer, start, close, createOnA, record } = threeHubs();
  const DAY = 24 * 60 * 60 * 1000;

  beforeAll(start, 240_000);
  afterAll(close);

  /** A → B → C, one pull each, nothing quarantined and no cursor refused. */
  async function propagate() {
    for (const [hub, id] of [[hubs.b, peer.aOnB], [hubs.c, peer.bOnC]] as const) {
      const outcome = await pullPeer(hub.deps.hub, id);
      expect(outcome).toMatchObject({ stopped: null, counts: { quarantined: 0 } });
    }
  }

  /** The daily compaction on every hub, `days` days from now. */
  async function compactAll(days: number) {
    const at = new Date(Date.now() + days * DAY);
    return { a: await compactFederationLog(hubs.a.deps.hub, at), b: await compactFederationLog(hubs.b.deps.hub, at), c: await compactFederationLog(hubs.c.deps.hub, at) };
  }

  const releasesOn = async (hub: TestHub, softwareId: string) => (await hub.app.inject(`/v1/software/${softwareId}/releases`)).json().items as { id: string; version: string; provenance: unknown }[];
  const crawledTag = async (softwareId: string) => (await insertCrawledReleases(hubs.a.deps.hub.db, [{ softwareId, version: '1.0.0', source: 'crawl' }]))[0]!;

  it('after the tombstones expired A brings the entry back (same id, higher version) and a new release: B and C show them from A, nothing of the old', async () => {
    const software = await createOnA('Friedhofsverwaltung', '09171000');
    const oldRelease = await crawledTag(software.id);
    await propagate();
    for (const hub of [hubs.b, hubs.c]) expect((await releasesOn(hub, software.id)).map((release) => release.id)).toEqual([oldRelease.id]);

    // A deletes both: the tag disappears, the entry is deleted (kept deactivated, as a deleted entry is).
    await deleteCrawledReleases(hubs.a.deps.hub.db, { softwareId: software.id, versions: ['1.0.0'] });
    expect((await hubs.a.app.inject({ method: 'DELETE', url: `/v1/software/${software.id}`, headers: admin })).statusCode).toBeLessThan(300);
    await propagate();
    for (const hub of [hubs.b, hubs.c]) {
      expect(await record(hub, software.id)).toMatchObject({ status: 'tombstoned', originHub: url.a });
      expect(await record(hub, oldRelease.id)).toMatchObject({ status: 'tombstoned', originHub: url.a });
      expect((await hub.app.inject(`/v1/software/${software.slug}`)).json()).toMatchObject({ active: false });
      expect(await releasesOn(hub, software.id)).toEqual([]);
    }
    const deletedVersion = (await record(hubs.b, software.id))!.originVersion;

    // Pinning stored what A announces; on C, A announces a longer retention than C's own 90 days.
    const [aOnB] = await hubs.b.deps.hub.db.select().from(federationPeers).where(eq(federationPeers.id, peer.aOnB));
    expect(aOnB!.descriptor).toMatchObject({ tombstoneRetentionDays: 90 });
    await hubs.c.deps.hub.db.execute(sql`UPDATE federation_peer SET descriptor = descriptor || '{"tombstoneRetentionDays": 120}'::jsonb WHERE id = ${peer.aOnC}`);

    // Within retention nothing expires.
    const early = await compactAll(89);
    expect([early.a!.expired, early.b!.expired, early.c!.expired]).toEqual([0, 0, 0]);
    expect([early.a!.tombstonesExpired, early.b!.tombstonesExpired, early.c!.tombstonesExpired]).toEqual([0, 0, 0]);

    // Past 90 days: the logs drop the deletes; B drops the release's tombstone, C keeps it for A's 120 days.
    const later = await compactAll(91);
    expect(later.a!.expired).toBeGreaterThanOrEqual(2);
    expect(later.b!.tombstonesExpired).toBe(1);
    expect(later.c!.tombstonesExpired).toBe(0);
    expect(await record(hubs.b, oldRelease.id)).toBeUndefined();
    expect(await record(hubs.c, oldRelease.id)).toMatchObject({ status: 'tombstoned' });
    expect((await compactAll(121)).c!.tombstonesExpired).toBe(1);
    for (const hub of [hubs.b, hubs.c]) {
      expect(await record(hub, oldRelease.id)).toBeUndefined();
      // The deactivated entry's row stays, and with it its tombstone: without it the row would pass for a local one.
      expect(await record(hub, software.id)).toMatchObject({ status: 'tombstoned', originHub: url.a });
    }

    // A brings the entry back under its id (its version continues) and the tag is pushed again: a new release.
    const back = await hubs.a.app.inject({ method: 'PATCH', url: `/v1/software/${software.id}`, headers: admin, payload: { active: true, name: 'Friedhofsverwaltung 2' } });
    expect(back.statusCode, back.body).toBe(200);
    const newRelease = await crawledTag(software.id);
    expect(newRelease.id).not.toBe(oldRelease.id);
    await propagate();

    const fromA = { origin: url.a, receivedAt: expect.any(String) as unknown };
    for (const hub of [hubs.b, hubs.c]) {
      const detail = (await hub.app.inject(`/v1/software/${software.slug}`)).json();
      expect(detail).toMatchObject({ id: software.id, active: true, name: 'Friedhofsverwaltung 2', provenance: fromA });
      expect((await record(hub, software.id))!.originVersion).toBeGreaterThan(deletedVersion);
      expect(await releasesOn(hub, software.id)).toEqual([expect.objectContaining({ id: newRelease.id, version: '1.0.0', provenance: fromA })]);
      expect(await record(hub, oldRelease.id)).toBeUndefined();
      expect((await hub.app.inject(`/v1/software?origin=${encodeURIComponent(url.a)}&q=Friedhofsverwaltung`)).json().items).toMatchObject([{ id: software.id }]);
      // Nothing of A's was taken over as this hub's own record on the way.
      const adopted = (await hub.deps.hub.db.execute(sql`
        SELECT id FROM federation_changelog WHERE origin <> ${url.a} AND (id LIKE ${`%/${software.id}`} OR id LIKE ${`%/${oldRelease.id}`} OR id LIKE ${`%/${newRelease.id}`})`)) as unknown as { rows: unknown[] };
      expect(adopted.rows).toEqual([]);
    }
  });

  it('after a release tombstone expired on B, a slow relay replaying its older upsert or an upsert of the deleted version does not bring it back', async () => {
    const software = await createOnA('Kita-Anmeldung', '09172000');
    const release = await crawledTag(software.id);
    await propagate();
    // What a slow relay still holds: the release's upsert as A first served it, proof and all.
    const { seq: _seq, via: _via, ...stale } = (await record(hubs.b, release.id))!.entry as Record<string, unknown>;

    await deleteCrawledReleases(hubs.a.deps.hub.db, { softwareId: software.id, versions: ['1.0.0'] });
    await propagate();
    const tombstone = (await record(hubs.b, release.id))!;
    expect(tombstone).toMatchObject({ status: 'tombstoned', originHub: url.a });
    expect(tombstone.originVersion).toBeGreaterThan(stale.originVersion as number);
    expect((await compactFederationLog(hubs.b.deps.hub, new Date(Date.now() + 91 * DAY)))!.tombstonesExpired).toBe(1);
    expect(await record(hubs.b, release.id)).toBeUndefined();

    // A tie: an upsert signed by A with the version of its delete (the tombstone wins ties).
    const { proof: staleProof, ...unsigned } = stale as { proof: { verificationMethod: string } };
    const tie = { ...unsigned, originVersion: tombstone.originVersion };
    const aKey = hubs.a.deps.hub.federationKeys!.active.privateKey;
    const tied = { ...tie, proof: signRecord(tie, { privateKey: aKey, verificationMethod: staleProof.verificationMethod }) };

    // A peer of B allowed to relay A's records (bootstrapped empty) sends them late, through its change feed.
    const relay = await startFakePeer();
    try {
      const relayOnB = await pinFakePeer(hubs.b.deps.hub, relay, { scope: { anyOrganisation: true }, relayOrigins: [url.a] });
      expect(await pullPeer(hubs.b.deps.hub, relayOnB)).toMatchObject({ stopped: null, counts: { applied: 0 } });
      for (const late of [stale, tied]) {
        relay.append({ ...late, via: [url.a] });
        expect(await pullPeer(hubs.b.deps.hub, relayOnB)).toMatchObject({ stopped: null, counts: { applied: 0, skipped: 1, quarantined: 0 } });
        expect(await releasesOn(hubs.b, software.id)).toEqual([]);
        expect(await record(hubs.b, release.id)).toBeUndefined();
      }
    } finally {
      await relay.close();
    }
  });
});
