import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, bearer, createTestHub, organisationWithToken, type TestHub } from '../helpers/hub';
import { freePort } from '../helpers/postgres-cluster';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const BAD = bearer('th_falsch_falsch_falsch_falsch_falsch');

function expectRateLimited(response: LightMyRequestResponse, limit: number) {
  expect(response.statusCode, response.body).toBe(429);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.json()).toMatchObject({ type: 'https://transferhub.eu/problems/rate-limited', status: 429 });
  expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
  expect(Number(response.headers['retry-after'])).toBeLessThanOrEqual(60);
  expect(response.headers['ratelimit-limit']).toBe(String(limit));
  expect(response.headers['ratelimit-remaining']).toBe('0');
  expect(Number(response.headers['ratelimit-reset'])).toBeGreaterThan(0);
}

describe('rate limits in embedded mode (memory)', () => {
  let hub: TestHub;
  let publisher: { organisation: { id: string }; token: string };
  let other: { token: string };
  beforeAll(async () => {
    hub = await createTestHub({ HUB_RATE_LIMITS: 'true', HUB_RATE_LIMIT_SEARCH: '30', HUB_RATE_LIMIT_WRITES: '10', HUB_RATE_LIMIT_WEBHOOKS: '5' });
    publisher = await organisationWithToken(hub.app, ['publish']);
    other = await organisationWithToken(hub.app, ['publish']);
  });
  afterAll(async () => hub?.close());

  const from = (remoteAddress: string, options: { method?: 'GET' | 'POST' | 'PATCH'; url: string; headers?: Record<string, string>; payload?: string | object }): Promise<LightMyRequestResponse> =>
    hub.app.inject({ ...options, remoteAddress });

  it('after 20 unknown tokens from one address the 21st request gets 429 problem+json with Retry-After and RateLimit headers', async () => {
    for (let i = 0; i < 20; i++) expect((await from('198.51.100.7', { url: '/v1/organisations', headers: BAD })).statusCode).toBe(401);
    expectRateLimited(await from('198.51.100.7', { url: '/v1/organisations', headers: BAD }), 20);
    // A right token from that address is refused too, or a guesser would learn from the 429 which guess was right.
    expectRateLimited(await from('198.51.100.7', { url: '/v1/organisations', headers: admin }), 20);
    // Requests without credentials are not affected.
    expect((await from('198.51.100.7', { url: '/v1/organisations' })).statusCode).toBe(200);
  });

  it('IPv6 addresses of one /64 share a budget, as one subscriber holds the whole block', async () => {
    for (let i = 0; i < 20; i++) expect((await from(`2001:db8:1:2::${(i + 1).toString(16)}`, { url: '/v1/organisations', headers: BAD })).statusCode).toBe(401);
    expectRateLimited(await from('2001:db8:1:2:ffff::1', { url: '/v1/organisations', headers: BAD }), 20);
    expect((await from('2001:db8:1:3::1', { url: '/v1/organisations', headers: BAD })).statusCode).toBe(401);
  });

  it('another address is unaffected by the first address spending its failures', async () => {
    expect((await from('198.51.100.8', { url: '/v1/organisations', headers: admin })).statusCode).toBe(200);
    expect((await from('198.51.100.8', { url: '/v1/organisations', headers: BAD })).statusCode).toBe(401);
  });

  it('searches within the budget pass with RateLimit headers; the next one gets 429, plain listings and other addresses still pass', async () => {
    for (let i = 0; i < 30; i++) {
      const search = await from('203.0.113.5', { url: i % 2 ? `/v1/software?q=melder${i}&facets=true` : `/v1/search/suggest?q=m${i}` });
      expect(search.statusCode, search.body).toBe(200);
      expect(search.headers['ratelimit-remaining']).toBe(String(29 - i));
    }
    expectRateLimited(await from('203.0.113.5', { url: '/v1/software?licence=MIT' }), 30);
    expect((await from('203.0.113.5', { url: '/v1/software?limit=5' })).statusCode).toBe(200);
    expect((await from('203.0.113.6', { url: '/v1/software?q=melder' })).statusCode).toBe(200);
  });

  it('writes are counted per token: one token spent does not stop another from the same address', async () => {
    const write = (token: string) =>
      from('192.0.2.10', { method: 'PATCH', url: `/v1/organisations/${publisher.organisation.id}`, headers: bearer(token), payload: { name: `Teststadt ${randomUUID()}` } });
    for (let i = 0; i < 10; i++) expect((await write(publisher.token)).statusCode).not.toBe(429);
    expectRateLimited(await write(publisher.token), 10);
    // The other organisation's token is refused by authorisation, not by the publisher's spent budget.
    expect((await write(other.token)).statusCode).toBe(403);
  });

  it('incoming webhooks have a budget per sending address', async () => {
    const hook = (remoteAddress: string) =>
      from(remoteAddress, { method: 'POST', url: '/v1/hooks/github', headers: { 'content-type': 'application/json', 'x-github-event': 'push', 'x-hub-signature-256': 'sha256=00' }, payload: '{"repository":{}}' });
    for (let i = 0; i < 5; i++) expect((await hook('140.82.115.1')).statusCode).toBe(202);
    expectRateLimited(await hook('140.82.115.1'), 5);
    expect((await hook('140.82.115.2')).statusCode).toBe(202);
  });
});

async function waitUntilReady(hub: TestHub) {
  const redis = hub.deps.hub.sharedRedis!;
  if (redis.status !== 'ready') await new Promise((resolve) => redis.once('ready', resolve));
}

describe('rate limits in server mode (Redis)', () => {
  it('two API processes share the failure budget of an address through Redis', async () => {
    const prefix = `th-test-rl-${randomUUID().slice(0, 8)}`;
    const first = await createTestHub({ HUB_RATE_LIMITS: 'true', REDIS_URL, HUB_QUEUE_PREFIX: prefix });
    const second = await createTestHub({ HUB_RATE_LIMITS: 'true', REDIS_URL, HUB_QUEUE_PREFIX: prefix });
    try {
      // Counters are skipped (fail open) until the connection is up; the test counts from then on.
      for (const hub of [first, second]) await waitUntilReady(hub);
      for (let i = 0; i < 20; i++) {
        const response = await (i % 2 ? first : second).app.inject({ url: '/v1/organisations', headers: BAD, remoteAddress: '198.51.100.9' });
        expect(response.statusCode).toBe(401);
      }
      expectRateLimited(await first.app.inject({ url: '/v1/organisations', headers: BAD, remoteAddress: '198.51.100.9' }), 20);
      expectRateLimited(await second.app.inject({ url: '/v1/organisations', headers: admin, remoteAddress: '198.51.100.9' }), 20);
    } finally {
      await first.close();
      await second.close();
    }
  });

  it('with Redis away requests are not limited and still answered (fail open)', async () => {
    const hub = await createTestHub({ HUB_RATE_LIMITS: 'true', REDIS_URL: `redis://127.0.0.1:${await freePort()}`, HUB_QUEUE_PREFIX: 'rl-redis-away' });
    try {
      for (let i = 0; i < 25; i++) expect((await hub.app.inject({ url: '/v1/organisations', headers: BAD })).statusCode).toBe(401);
      expect((await hub.app.inject({ url: '/v1/organisations', headers: admin })).statusCode).toBe(200);
      expect((await hub.app.inject({ url: '/v1/software?q=melder' })).statusCode).toBe(200);
    } finally {
      await hub.close();
    }
  });
});

describe('rate limits behind a reverse proxy', () => {
  const guess = (hub: TestHub, forwardedFor: string) =>
    hub.app.inject({ url: '/v1/organisations', headers: { ...BAD, 'x-forwarded-for': forwardedFor }, remoteAddress: '10.1.2.3' });

  it('behind a trusted proxy each client named in X-Forwarded-For has its own budget', async () => {
    const hub = await createTestHub({ HUB_RATE_LIMITS: 'true', HUB_TRUST_PROXY: '10.0.0.0/8' });
    try {
      for (let i = 0; i < 20; i++) expect((await guess(hub, '198.51.100.20')).statusCode).toBe(401);
      expect((await guess(hub, '198.51.100.20')).statusCode).toBe(429);
      expect((await guess(hub, '198.51.100.21')).statusCode).toBe(401);
    } finally {
      await hub.close();
    }
  });

  it('without a trusted proxy X-Forwarded-For is ignored, so a guesser cannot dodge the budget by inventing addresses', async () => {
    const hub = await createTestHub({ HUB_RATE_LIMITS: 'true' });
    try {
      for (let i = 0; i < 20; i++) expect((await guess(hub, `198.51.100.${i}`)).statusCode).toBe(401);
      expect((await guess(hub, '198.51.100.99')).statusCode).toBe(429);
    } finally {
      await hub.close();
    }
  });
});
