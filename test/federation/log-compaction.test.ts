import { asc } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { federationChangelog } from '../../src/db/schema';
import { changesHead, changesPage, CursorExpired } from '../../src/domain/federation/feed.service';
import { compactFederationLog } from '../../src/domain/federation/log-compaction.service';
import { compactFederationLogJob } from '../../src/jobs/compact-federation-log.job';
import { admin, createTestHub, type TestHub } from '../helpers/hub';

/**
 * Design, "The change log": the log compacts to the latest entry per record, and tombstones stay
 * at least tombstoneRetentionDays; a cursor from before an expired tombstone is 410 (resync).
 */
let hub: TestHub;
const DAY = 24 * 60 * 60 * 1000;

beforeAll(async () => {
  hub = await createTestHub({ HUB_FEDERATION: 'true', HUB_PUBLIC_URL: 'https://hub-a.example' });
});
afterAll(async () => {
  await hub?.close();
});

const log = () => hub.deps.hub.db.select().from(federationChangelog).orderBy(asc(federationChangelog.seq));
const all = async (since?: string) => {
  const head = await changesHead(hub.deps.hub, { since, limit: 100 });
  return changesPage(hub.deps.hub, head, { limit: 100 });
};

describe('compacting the federation change log', () => {
  it('keeps the latest entry per record and the tombstones inside retention, and a reader of the compacted log converges', async () => {
    const post = async (url: string, payload: object) => (await hub.app.inject({ method: 'POST', url, headers: admin, payload })).json();
    const org = await post('/v1/organisations', { name: 'Stadt Bamberg', kind: 'municipality', ags: '09461000' });
    const kept = await post('/v1/software', { name: 'Bürgerportal', organisationId: org.id });
    const gone = await post('/v1/software', { name: 'Altes Portal', organisationId: org.id });
    const start = await all();
    for (const name of ['Bürgerportal 2', 'Bürgerportal 3']) {
      expect((await hub.app.inject({ method: 'PATCH', url: `/v1/software/${kept.id}`, headers: admin, payload: { name } })).statusCode).toBe(200);
    }
    expect((await hub.app.inject({ method: 'DELETE', url: `/v1/software/${gone.id}`, headers: admin })).statusCode).toBeLessThan(300);
    const before = await log();
    const latest = new Map(before.map((row) => [row.id, row.seq]));

    // Now: nothing is old enough to expire; superseded entries go.
    const now = await compactFederationLog(hub.deps.hub);
    const after = await log();
    expect(after.map((row) => row.seq)).toEqual([...latest.values()].sort((a, b) => a - b));
    expect(now).toEqual({ superseded: before.length - after.length, expired: 0, horizonSeq: 0, tombstonesExpired: 0 });
    const tombstone = after.find((row) => row.op === 'delete')!;
    expect(tombstone.id).toMatch(new RegExp(`/id/software/${gone.id}$`));

    // A reader from the start, or from a cursor taken before the compaction, gets each record's latest entry.
    for (const since of [undefined, start.next]) {
      const page = await all(since);
      const byId = new Map(page.entries.map((entry) => [entry.id as string, entry]));
      expect((byId.get(tombstone.id) as { op: string }).op).toBe('delete');
      expect(page.entries.find((entry) => (entry.id as string).endsWith(kept.id))).toMatchObject({ op: 'upsert', record: { name: 'Bürgerportal 3' } });
    }

    // 91 days on: the tombstone has expired and the horizon moved past it.
    const later = await compactFederationLog(hub.deps.hub, new Date(Date.now() + 91 * DAY));
    expect(later).toEqual({ superseded: 0, expired: 1, horizonSeq: tombstone.seq, tombstonesExpired: 0 });
    expect((await log()).some((row) => row.op !== 'upsert')).toBe(false);
    // A cursor that may have missed the deletion is refused: its peer resyncs by snapshot.
    await expect(all(start.next)).rejects.toBeInstanceOf(CursorExpired);
    // A new reader starts at the horizon; a reader past the tombstone keeps going.
    const fresh = await all();
    expect(fresh.entries.every((entry) => (entry.seq as number) > tombstone.seq)).toBe(true);
    expect((await all(fresh.next)).entries).toEqual([]);

    // Compacting again changes nothing.
    expect(await compactFederationLog(hub.deps.hub, new Date(Date.now() + 91 * DAY))).toEqual({ superseded: 0, expired: 0, horizonSeq: tombstone.seq, tombstonesExpired: 0 });
  });

  it('is scheduled daily while federation is on', async () => {
    expect(await hub.deps.hub.queue.hasScheduler('federation-log-compaction', compactFederationLogJob)).toBe(true);
    const off = await createTestHub();
    try {
      expect(await off.deps.hub.queue.hasScheduler('federation-log-compaction', compactFederationLogJob)).toBe(false);
      expect(await compactFederationLog(off.deps.hub)).toBeNull();
    } finally {
      await off.close();
    }
  });
});
