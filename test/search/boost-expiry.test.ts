import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

  it('is scheduled in embedded mode', async () => {
    expect(await hub.deps.hub.queue.hasScheduler('search-boost-expiry', expireSearchBoostsJob)).toBe(true);
  });
});
