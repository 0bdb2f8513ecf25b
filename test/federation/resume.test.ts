import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { federationRecords } from '../../src/db/schema';
import { pullPeer, type PullOutcome } from '../../src/domain/federation/pull.service';
import { startFakePeer, type FakePeer } from '../helpers/fake-peer';
import { cursorRow, peerRow, pinFakePeer } from '../helpers/federation-peer-row';
import { createTestHub, type TestHub } from '../helpers/hub';

/**
 * Design, "How to test it": a peer down, then resumed without gaps or duplicates; a crash between
 * apply and cursor. Hub B pulls the fake peer on loopback with pages of three entries, so a feed
 * spans several pages and the cursor sits in the middle of it.
 */
const SELF = 'https://hub-b.example';
let hub: TestHub;
const peers: FakePeer[] = [];
let keyCounter = 300;

beforeAll(async () => {
  hub = await createTestHub({ HUB_FEDERATION: 'true', HUB_PUBLIC_URL: SELF });
});
afterAll(async () => {
  await Promise.all(peers.map((peer) => peer.close()));
  await hub?.close();
});

async function fakePeer() {
  const peer = await startFakePeer({ pageSize: 3 });
  peers.push(peer);
  return { peer, peerId: await pinFakePeer(hub.deps.hub, peer) };
}

/** A Bavarian organisation of the peer; `software(n)` publishes n new entries of it, `update` a new version of one. */
function catalogue(peer: FakePeer) {
  const org = randomUUID();
  keyCounter += 1;
  peer.publish({ type: 'organisation', uuid: org, version: 1, record: { slug: `markt-${org.slice(0, 8)}`, name: 'Markt', kind: 'municipality', officialKey: `09${keyCounter}000` } });
  const latest = new Map<string, number>();
  const record = (uuid: string, version: number) => ({ slug: `app-${uuid.slice(0, 8)}`, name: `App ${uuid.slice(0, 4)} v${version}`, organisation: `${peer.hubId}/id/organisation/${org}`, listed: true });
  return {
    latest,
    software(n: number) {
      for (let i = 0; i < n; i++) {
        const uuid = randomUUID();
        peer.publish({ type: 'software', uuid, version: 1, record: record(uuid, 1) });
        latest.set(uuid, 1);
      }
    },
    update(uuid: string) {
      const version = latest.get(uuid)! + 1;
      peer.publish({ type: 'software', uuid, version, record: record(uuid, version) });
      latest.set(uuid, version);
    },
  };
}

/** What B holds of the peer's software: uuid → version, from its tables and its API. */
async function heldVersions(peer: FakePeer) {
  const rows = await hub.deps.hub.db.select().from(federationRecords).where(eq(federationRecords.receivedFrom, peer.hubId));
  return new Map(rows.filter((row) => row.type === 'software').map((row) => [row.recordId, row.originVersion]));
}

/** B's own log (it relays what it applies): entries of this peer, to see none is there twice. */
async function relayedTwice(peer: FakePeer) {
  const result = (await hub.deps.hub.db.execute(sql`
    SELECT id, origin_version, count(*)::int AS n FROM federation_changelog WHERE origin = ${peer.hubId}
    GROUP BY id, origin_version HAVING count(*) > 1`)) as unknown as { rows: unknown[] };
  return result.rows;
}

const total = (outcomes: PullOutcome[]) => outcomes.reduce((sum, outcome) => ({ applied: sum.applied + outcome.counts.applied, skipped: sum.skipped + outcome.counts.skipped }), { applied: 0, skipped: 0 });

describe('a peer that goes down and comes back', () => {
  it('is resumed from the cursor: every entry published meanwhile applied once, none skipped over, none twice', async () => {
    const { peer, peerId } = await fakePeer();
    const { latest, software, update } = catalogue(peer);
    software(4);
    await pullPeer(hub.deps.hub, peerId);
    software(4);
    // Half of what follows is pulled before the peer goes down: the cursor is in the middle of the feed.
    const halfway = await pullPeer(hub.deps.hub, peerId, { deadlineMs: 0 });
    expect(halfway).toMatchObject({ pages: 1, hasMore: true });
    const cursorBefore = await cursorRow(hub.deps.hub, peerId);

    peer.mode = 'down';
    for (let i = 0; i < 3; i++) await expect(pullPeer(hub.deps.hub, peerId)).rejects.toMatchObject({ kind: 'unreachable' });
    expect(await cursorRow(hub.deps.hub, peerId)).toEqual(cursorBefore);
    // Meanwhile the peer goes on: new entries, and new versions of some it had before and after the cursor.
    software(5);
    const [first, , , , fifth] = [...latest.keys()];
    update(first!);
    update(fifth!);
    update(first!);

    peer.mode = 'ok';
    const requestsBefore = peer.requests.length;
    const outcomes: PullOutcome[] = [];
    for (let outcome = await pullPeer(hub.deps.hub, peerId); ; outcome = await pullPeer(hub.deps.hub, peerId)) {
      outcomes.push(outcome);
      if (!outcome.hasMore) break;
    }
    // The first request after the outage asks from where the last applied page ended.
    const resumedFrom = new URL(peer.requests[requestsBefore]!.url, peer.hubId).searchParams.get('since');
    expect(resumedFrom).toBe(cursorBefore!.cursor);
    // Everything after the cursor is applied exactly once: the last of the four before the outage, the five new ones, three updates.
    expect(total(outcomes)).toEqual({ applied: 1 + 5 + 3, skipped: 0 });
    expect(Object.fromEntries(await heldVersions(peer))).toEqual(Object.fromEntries(latest));
    expect(await relayedTwice(peer)).toEqual([]);
    expect(await peerRow(hub.deps.hub, peerId)).toMatchObject({ status: 'active', lastError: expect.stringMatching(/^federation.unreachable/) });
  });
});

describe('a crash between applying a page and saving its cursor', () => {
  it('leaves nothing of the page behind, and the next pull applies it once', async () => {
    const { peer, peerId } = await fakePeer();
    const { latest, software } = catalogue(peer);
    software(2);
    await pullPeer(hub.deps.hub, peerId);
    const cursorBefore = await cursorRow(hub.deps.hub, peerId);
    const countersBefore = await peerRow(hub.deps.hub, peerId);
    software(2);

    // The database refuses the cursor write of this peer, after the page's rows were written in
    // the same transaction: what a process dying at that point leaves is what a rollback leaves.
    const db = hub.deps.hub.db;
    await db.execute(sql.raw(`
      CREATE FUNCTION test_crash_before_cursor() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'simulated crash before the cursor of % is saved', NEW.peer_id; END $$`));
    await db.execute(sql.raw(`
      CREATE TRIGGER test_crash_before_cursor BEFORE INSERT OR UPDATE ON federation_cursor
      FOR EACH ROW WHEN (NEW.peer_id = '${peerId}') EXECUTE FUNCTION test_crash_before_cursor()`));
    try {
      const error = await pullPeer(hub.deps.hub, peerId).then(() => null, (caught: Error) => caught);
      // drizzle wraps the driver's error (which names the cause) in one that quotes the query.
      expect(`${error?.message} ${(error?.cause as Error | undefined)?.message}`).toContain('simulated crash before the cursor');
    } finally {
      await db.execute(sql.raw('DROP TRIGGER test_crash_before_cursor ON federation_cursor'));
      await db.execute(sql.raw('DROP FUNCTION test_crash_before_cursor()'));
    }
    const [, , third, fourth] = [...latest.keys()];
    const held = await heldVersions(peer);
    expect([held.has(third!), held.has(fourth!)]).toEqual([false, false]);
    for (const uuid of [third, fourth]) expect((await hub.app.inject(`/v1/software/app-${uuid!.slice(0, 8)}`)).statusCode).toBe(404);
    expect(await cursorRow(hub.deps.hub, peerId)).toEqual(cursorBefore);
    const countersAfter = await peerRow(hub.deps.hub, peerId);
    expect([countersAfter.pagesPulled, countersAfter.entriesApplied]).toEqual([countersBefore.pagesPulled, countersBefore.entriesApplied]);

    const outcome = await pullPeer(hub.deps.hub, peerId);
    expect(outcome.counts).toEqual({ applied: 2, skipped: 0, quarantined: 0 });
    for (const uuid of [third, fourth]) expect((await hub.app.inject(`/v1/software/app-${uuid!.slice(0, 8)}`)).statusCode).toBe(200);
    expect(Object.fromEntries(await heldVersions(peer))).toEqual(Object.fromEntries(latest));
    expect(await relayedTwice(peer)).toEqual([]);
    expect((await pullPeer(hub.deps.hub, peerId)).counts).toEqual({ applied: 0, skipped: 0, quarantined: 0 });
  });
});
