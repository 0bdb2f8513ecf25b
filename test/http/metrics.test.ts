import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { scheduleCrawlsJob } from '../../src/jobs/schedule-crawls.job';
import { admin, bearer, createTestHub, organisationWithToken, type TestHub } from '../helpers/hub';
import { freePort } from '../helpers/postgres-cluster';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const scrape = async (hub: TestHub) => (await hub.app.inject({ url: '/metrics', headers: admin })).body;

/** A delayed job shows in its queue's depth; every queue reports every state. */
async function expectDepth(hub: TestHub) {
  const depth = (text: string, state: string) => Number(new RegExp(`^job_queue_depth\\{queue="schedule-crawls",state="${state}"\\} (\\d+)$`, 'm').exec(text)?.[1]);
  const before = depth(await scrape(hub), 'delayed');
  await hub.deps.hub.queue.enqueue(scheduleCrawlsJob, {}, { delayMs: 3_600_000 });
  const text = await scrape(hub);
  expect(depth(text, 'delayed') - before).toBe(1);
  for (const queue of ['crawl-repository', 'discover-organisation', 'schedule-crawls']) {
    for (const state of ['waiting', 'active', 'delayed']) expect(text).toMatch(new RegExp(`^job_queue_depth\\{queue="${queue}",state="${state}"\\} \\d+$`, 'm'));
  }
}

/** GET /metrics (HUB_METRICS): Prometheus text, by default only for the admin token. */
describe('metrics with the default HUB_METRICS=token', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await createTestHub();
  });
  afterAll(async () => hub?.close());

  it('counts requests by route pattern and status code, never by the raw URL', async () => {
    await hub.app.inject('/v1/software');
    await hub.app.inject('/v1/software?limit=2');
    await hub.app.inject('/v1/software/gibt-es-nicht');
    const response = await hub.app.inject({ url: '/metrics', headers: admin });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    const text = response.body;
    expect(text).toMatch(/^http_request_duration_seconds_bucket\{[^}]*route="\/v1\/software"[^}]*status_code="200"[^}]*\} 2$/m);
    expect(text).toMatch(/^http_request_duration_seconds_count\{[^}]*route="\/v1\/software\/:id"[^}]*status_code="404"[^}]*\} 1$/m);
    expect(text).not.toContain('gibt-es-nicht');
    expect(text).not.toContain('limit=2');
  });

  it('reports the process figures, event-loop lag included', async () => {
    const text = (await hub.app.inject({ url: '/metrics', headers: admin })).body;
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
    expect(text).toMatch(/^process_resident_memory_bytes \d/m);
  });

  it('counts search answers served from the cache and computed', async () => {
    const before = await hub.app.inject({ url: '/metrics', headers: admin });
    const count = (text: string, result: string) => Number(new RegExp(`^search_answer_cache_requests_total\\{result="${result}"\\} (\\d+)$`, 'm').exec(text)?.[1]);
    // An answer is filed from its second request on (answer-cache.ts): two misses, then a hit.
    for (let i = 0; i < 3; i++) await hub.app.inject('/v1/search/suggest?q=metrikprobe');
    const after = (await hub.app.inject({ url: '/metrics', headers: admin })).body;
    expect(count(after, 'miss') - count(before.body, 'miss')).toBe(2);
    expect(count(after, 'hit') - count(before.body, 'hit')).toBe(1);
  });

  it('reports the depth of every job queue by state (in-process queue)', async () => {
    await expectDepth(hub);
  });

  it('reports repositories by crawl state, every state present', async () => {
    const states = ['queued', 'running', 'succeeded', 'unchanged', 'failed'];
    const total = (text: string) =>
      states.reduce((sum, state) => sum + Number(new RegExp(`^repositories_by_crawl_state\\{state="${state}"\\} (\\d+)$`, 'm').exec(text)?.[1]), 0);
    const before = total(await scrape(hub));
    const owner = await organisationWithToken(hub.app, ['publish']);
    const url = `http://127.0.0.1:${await freePort()}/metrik/probe.git`;
    const response = await hub.app.inject({ method: 'POST', url: '/v1/repositories', headers: bearer(owner.token), payload: { url, organisationId: owner.organisation.id } });
    expect(response.statusCode, response.body).toBe(202);
    expect(total(await scrape(hub)) - before).toBe(1);
  });

  it('answers 401 problem+json without the admin token', async () => {
    const response = await hub.app.inject('/metrics');
    expect(response.statusCode).toBe(401);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).not.toContain('http_request_duration_seconds');
  });
});

describe('metrics with HUB_METRICS=public and off', () => {
  let open: TestHub;
  let off: TestHub;
  beforeAll(async () => {
    open = await createTestHub({ HUB_METRICS: 'public' });
    off = await createTestHub({ HUB_METRICS: 'off' });
  });
  afterAll(async () => Promise.all([open?.close(), off?.close()]));

  it('public answers anyone, and each app counts only its own requests', async () => {
    await open.app.inject('/health');
    const response = await open.app.inject('/metrics');
    expect(response.statusCode).toBe(200);
    expect(response.body).toMatch(/route="\/health"/);
    expect(response.body).not.toMatch(/route="\/v1\/software"/);
  });

  it('off does not serve the route at all', async () => {
    const response = await off.app.inject({ url: '/metrics', headers: admin });
    expect(response.statusCode).toBe(404);
  });
});

describe('metrics in server mode', () => {
  it('reports the depth of every BullMQ queue by state', async () => {
    const hub = await createTestHub({ REDIS_URL, HUB_QUEUE_PREFIX: `metrics-${randomUUID()}` });
    try {
      await expectDepth(hub);
    } finally {
      await hub.close();
    }
  });

  it('still answers when Redis is away, without the queue series', async () => {
    const hub = await createTestHub({ REDIS_URL: `redis://127.0.0.1:${await freePort()}`, HUB_QUEUE_PREFIX: 'metrics-redis-away' });
    try {
      const response = await hub.app.inject({ url: '/metrics', headers: admin });
      expect(response.statusCode).toBe(200);
      expect(response.body).toContain('http_request_duration_seconds');
      expect(response.body).not.toMatch(/^job_queue_depth\{/m);
    } finally {
      await hub.close();
    }
  });
});
