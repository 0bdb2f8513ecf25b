import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createJobHandlers } from '../../src/domain/job-handlers';
import type { JobContext } from '../../src/jobs/contract';
import { expireSearchBoostsJob } from '../../src/jobs/expire-search-boosts.job';
import { createTestHub, type TestHub } from '../helpers/hub';
import { publisherWithSoftware, queryDatabase } from '../http/fixtures';

describe('the expire-search-boosts job', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await createTestHub();
  });
  afterAll(async () => hub?.close());

  it('recomputes a boost whose recent-release bonus ran out; a search alone never writes', async () => {
    const { software } = await publisherWithSoftware(hub.app, { name: 'Wärmeplaner' });
    const row = async () =>
      (await queryDatabase<{ boost: string; until: Date | null }>(hub, 'SELECT boost::text AS boost, boost_until AS until FROM software_search WHERE software_id = $1', [software.id]))[0]!;
    const revision = async () => (await queryDatabase<{ r: string }>(hub, 'SELECT revision::text AS r FROM catalogue_revision'))[0]!.r;
    // A bonus stored as if a release had been recent until a second ago.
    await queryDatabase(hub, `UPDATE software_search SET boost = 0.5, boost_until = now() - interval '1 second' WHERE software_id = $1`, [software.id]);
    const seen = await revision();
    expect((await hub.app.inject('/v1/software?q=W%C3%A4rmeplaner')).statusCode).toBe(200);
    expect(await revision()).toBe(seen);
    expect((await row()).boost).toBe('0.500000');

    const handler = createJobHandlers(hub.deps.hub)[expireSearchBoostsJob.name]!;
    await handler({}, { jobId: 'test', attempt: 1 } as unknown as JobContext);
    const after = await row();
    expect(after.boost).not.toBe('0.500000');
    expect(after.until === null || after.until.getTime() > Date.now()).toBe(true);
    expect(await revision()).not.toBe(seen);
  });

  it('builds the search documents a snapshot left queued when its peer stopped being pulled', async () => {
    const { software } = await publisherWithSoftware(hub.app, { name: 'Kältekataster' });
    // What a snapshot page does (migration 0024): software inserted with its document deferred.
    const columns = (await queryDatabase<{ name: string }>(hub, `SELECT column_name AS name FROM information_schema.columns WHERE table_name = 'software' AND is_generated = 'NEVER' AND column_name NOT IN ('id', 'slug', 'name')`))
      .map((column) => `"${column.name}"`)
      .join(', ');
    const copy = randomUUID();
    await hub.deps.hub.db.transaction(async (tx) => {
      await tx.execute(sql`SELECT set_config('transferhub.search_build', 'deferred', true)`);
      await tx.execute(sql.raw(`INSERT INTO software (id, slug, name, ${columns}) SELECT '${copy}', 'kaeltekataster-zwei', 'Kältekataster Zwei', ${columns} FROM software WHERE id = '${software.id}'`));
    });
    const found = async () => ((await hub.app.inject('/v1/software?q=K%C3%A4ltekataster')).json() as { items: { slug: string }[] }).items.map((item) => item.slug).sort();
    const terms = async () => (await queryDatabase<{ doc_count: number }>(hub, `SELECT doc_count FROM search_term WHERE term = 'zwei'`))[0]?.doc_count ?? 0;
    expect(await found()).toEqual([software.slug]);
    expect(await terms()).toBe(0);

    const handler = createJobHandlers(hub.deps.hub)[expireSearchBoostsJob.name]!;
    await handler({}, { jobId: 'test', attempt: 1 } as unknown as JobContext);
    // The in-process index takes in a write of a job (not an HTTP write of this process) within HUB_SEARCH_INDEX_LAG_MS.
    await vi.waitFor(async () => expect(await found()).toEqual(['kaeltekataster-zwei', software.slug].sort()), { timeout: 3000, interval: 100 });
    expect(await terms()).toBe(1);
    expect(await queryDatabase(hub, 'SELECT * FROM search_pending')).toEqual([]);
  });

  it('is scheduled in embedded mode', async () => {
    expect(await hub.deps.hub.queue.hasScheduler('search-boost-expiry', expireSearchBoostsJob)).toBe(true);
  });
});
