import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, bearer, createTestHub, organisationWithToken, type TestHub } from '../helpers/hub';
import { WEBHOOK_KEY } from '../helpers/webhook-receiver';
import { expectProblem, publisherWithSoftware, queryDatabase } from './fixtures';


type Subscription = { id: string; url: string; events: string[]; state: string; secret?: string; previousSecretValidUntil: string | null };

describe('webhook subscriptions', () => {
  let hub: TestHub;
  let own: Awaited<ReturnType<typeof publisherWithSoftware>>;
  let reuser: Awaited<ReturnType<typeof organisationWithToken>>;
  let other: Awaited<ReturnType<typeof organisationWithToken>>;
  const url = 'https://hooks.example.org/transferhub';

  beforeAll(async () => {
    // No DNS on the test machine is needed: private hosts allowed skips the lookup (as in the crawl tests).
    hub = await createTestHub({ HUB_WEBHOOK_SECRET_KEY: WEBHOOK_KEY, HUB_WEBHOOK_DISPATCH_SECONDS: '3600' });
    own = await publisherWithSoftware(hub.app);
    reuser = await organisationWithToken(hub.app, ['reuse']);
    other = await organisationWithToken(hub.app, ['publish']);
  });
  afterAll(async () => hub?.close());

  const create = (organisation: string, headers: Record<string, string>, payload: Record<string, unknown> = { url, events: ['release.published'] }) =>
    hub.app.inject({ method: 'POST', url: `/v1/organisations/${organisation}/webhooks`, headers, payload });

  it('shows the secret once at creation and never again', async () => {
    const created = await create(own.organisation.id, bearer(own.token), { url, events: ['release.published', 'crawl.failed'], description: 'Ticketsystem' });
    expect(created.statusCode, created.body).toBe(201);
    const body = created.json() as Subscription;
    expect(body.secret).toMatch(/^whsec_/);
    expect(body).toMatchObject({ url, events: ['release.published', 'crawl.failed'], state: 'active' });
    const read = await hub.app.inject({ url: `/v1/webhooks/${body.id}`, headers: bearer(own.token) });
    expect(read.statusCode).toBe(200);
    expect(read.body).not.toContain('whsec_');
    const listed = await hub.app.inject({ url: `/v1/organisations/${own.organisation.id}/webhooks`, headers: bearer(own.token) });
    expect(listed.json().items.map((s: Subscription) => s.id)).toContain(body.id);
    expect(listed.body).not.toContain('whsec_');
    // Stored sealed: the database holds no secret in plain text either.
    const [row] = await queryDatabase<{ secret_sealed: string }>(hub, 'SELECT secret_sealed FROM webhook_subscription WHERE id = $1', [body.id]);
    expect(row!.secret_sealed).not.toContain(body.secret!.slice(6));
  });

  describe('who may do what', () => {
    let subscriptionId: string;
    beforeAll(async () => {
      subscriptionId = ((await create(own.organisation.id, bearer(own.token))).json() as Subscription).id;
    });

    const routes = () => [
      { name: 'create', method: 'POST' as const, url: `/v1/organisations/${own.organisation.id}/webhooks`, payload: { url, events: ['release.published'] } },
      { name: 'list', method: 'GET' as const, url: `/v1/organisations/${own.organisation.id}/webhooks` },
      { name: 'get', method: 'GET' as const, url: `/v1/webhooks/${subscriptionId}` },
      { name: 'update', method: 'PATCH' as const, url: `/v1/webhooks/${subscriptionId}`, payload: { description: 'geändert' } },
      { name: 'rotate', method: 'POST' as const, url: `/v1/webhooks/${subscriptionId}/rotate-secret` },
      { name: 'deliveries', method: 'GET' as const, url: `/v1/webhooks/${subscriptionId}/deliveries` },
      { name: 'ping', method: 'POST' as const, url: `/v1/webhooks/${subscriptionId}/ping` },
    ];

    it('no token gets 401 on every route', async () => {
      for (const route of routes()) expectProblem(await hub.app.inject({ method: route.method, url: route.url, payload: route.payload }), 401);
    });

    it("another organisation's token gets 403 on every route", async () => {
      for (const route of routes()) {
        const response = await hub.app.inject({ method: route.method, url: route.url, payload: route.payload, headers: bearer(other.token) });
        expect(expectProblem(response, 403).detail, route.name).toMatch(/another organisation/);
      }
    });

    it('the own publish token and the admin may use every route', async () => {
      for (const headers of [bearer(own.token), admin]) {
        for (const route of routes()) {
          const response = await hub.app.inject({ method: route.method, url: route.url, payload: route.payload, headers });
          expect(response.statusCode, `${route.name}: ${response.body}`).toBeLessThan(300);
        }
      }
    });

    it('a reuse token may follow releases, but not crawl failures or reuse of software (the publishing side)', async () => {
      const allowed = await create(reuser.organisation.id, bearer(reuser.token), { url, events: ['release.published'] });
      expect(allowed.statusCode, allowed.body).toBe(201);
      const refused = await create(reuser.organisation.id, bearer(reuser.token), { url, events: ['release.published', 'crawl.failed', 'reuse.recorded'] });
      const problem = expectProblem(refused, 403);
      expect(problem.type).toMatch(/webhook\.scope_insufficient$/);
      expect(problem.detail).toContain('crawl.failed, reuse.recorded');
      const id = (allowed.json() as Subscription).id;
      expect(expectProblem(await hub.app.inject({ method: 'PATCH', url: `/v1/webhooks/${id}`, headers: bearer(reuser.token), payload: { events: ['crawl.failed'] } }), 403).type).toMatch(
        /webhook\.scope_insufficient$/,
      );
    });

    it('deleting removes the subscription; a second delete is 404 with its own code', async () => {
      const id = ((await create(own.organisation.id, bearer(own.token))).json() as Subscription).id;
      expectProblem(await hub.app.inject({ method: 'DELETE', url: `/v1/webhooks/${id}`, headers: bearer(other.token) }), 403);
      expect((await hub.app.inject({ method: 'DELETE', url: `/v1/webhooks/${id}`, headers: bearer(own.token) })).statusCode).toBe(204);
      expect(expectProblem(await hub.app.inject({ method: 'DELETE', url: `/v1/webhooks/${id}`, headers: bearer(own.token) }), 404).type).toMatch(/webhook\.not_found$/);
    });
  });

  it('refuses plain http where private hosts are not allowed, URLs with credentials, and unknown software', async () => {
    const strict = await createTestHub({ HUB_WEBHOOK_SECRET_KEY: WEBHOOK_KEY, HUB_ALLOW_PRIVATE_HOSTS: 'false' });
    try {
      const org = await organisationWithToken(strict.app, ['publish']);
      const post = (payload: Record<string, unknown>) =>
        strict.app.inject({ method: 'POST', url: `/v1/organisations/${org.organisation.id}/webhooks`, headers: bearer(org.token), payload });
      expect(expectProblem(await post({ url: 'http://hooks.example.org/x', events: ['release.published'] }), 400).type).toMatch(/webhook\.url_refused$/);
      expect(expectProblem(await post({ url: 'https://127.0.0.1/x', events: ['release.published'] }), 400).detail).toMatch(/private, loopback/);
      expect(expectProblem(await post({ url: 'https://[::1]:8443/x', events: ['release.published'] }), 400).type).toMatch(/webhook\.url_refused$/);
      expect(expectProblem(await post({ url: 'https://user:pw@hooks.example.org/x', events: ['release.published'] }), 400).type).toMatch(/webhook\.url_refused$/);
    } finally {
      await strict.close();
    }
    const unknown = await create(own.organisation.id, bearer(own.token), { url, events: ['release.published'], softwareIds: ['00000000-0000-4000-8000-000000000000'] });
    expect(expectProblem(unknown, 400).type).toMatch(/webhook\.software_unknown$/);
    expectProblem(await create(own.organisation.id, bearer(own.token), { url, events: ['repository.exploded'] }), 400);
    expectProblem(await create(own.organisation.id, bearer(own.token), { url, events: [] }), 400);
  });

  it('rotating shows the new secret once and keeps the old one valid for the overlap', async () => {
    const created = (await create(own.organisation.id, bearer(own.token))).json() as Subscription;
    const rotated = await hub.app.inject({ method: 'POST', url: `/v1/webhooks/${created.id}/rotate-secret`, headers: bearer(own.token) });
    expect(rotated.statusCode, rotated.body).toBe(200);
    const body = rotated.json() as Subscription;
    expect(body.secret).toMatch(/^whsec_/);
    expect(body.secret).not.toBe(created.secret);
    const hours = (Date.parse(body.previousSecretValidUntil!) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(23);
    expect(hours).toBeLessThanOrEqual(24);
  });

  it('writes audit rows the organisation can read, without the secret', async () => {
    const created = (await create(own.organisation.id, bearer(own.token))).json() as Subscription;
    await hub.app.inject({ method: 'POST', url: `/v1/webhooks/${created.id}/rotate-secret`, headers: bearer(own.token) });
    await hub.app.inject({ method: 'PATCH', url: `/v1/webhooks/${created.id}`, headers: bearer(own.token), payload: { state: 'disabled' } });
    const log = await hub.app.inject({ url: `/v1/audit-events?entityType=webhook_subscription&entityId=${created.id}`, headers: bearer(own.token) });
    expect(log.json().items.map((e: { action: string }) => e.action)).toEqual(['webhook.update', 'webhook.rotate_secret', 'webhook.create']);
    expect(log.body).not.toContain('whsec_');
    const foreign = await hub.app.inject({ url: `/v1/audit-events?entityType=webhook_subscription&entityId=${created.id}`, headers: bearer(other.token) });
    expect(foreign.json().items).toEqual([]);
  });

  it('a disabled subscription refuses pings and redeliveries until enabled again', async () => {
    const created = (await create(own.organisation.id, bearer(own.token))).json() as Subscription;
    await hub.app.inject({ method: 'PATCH', url: `/v1/webhooks/${created.id}`, headers: bearer(own.token), payload: { state: 'disabled' } });
    expect(expectProblem(await hub.app.inject({ method: 'POST', url: `/v1/webhooks/${created.id}/ping`, headers: bearer(own.token) }), 409).type).toMatch(/webhook\.disabled$/);
    const enabled = await hub.app.inject({ method: 'PATCH', url: `/v1/webhooks/${created.id}`, headers: bearer(own.token), payload: { state: 'active' } });
    expect(enabled.json()).toMatchObject({ state: 'active', disabledReason: null, failureDays: 0 });
    expect((await hub.app.inject({ method: 'POST', url: `/v1/webhooks/${created.id}/ping`, headers: bearer(own.token) })).statusCode).toBe(202);
  });

  it('a hub without a secret key refuses subscriptions with a problem naming the setting', async () => {
    const keyless = await createTestHub();
    try {
      const org = await organisationWithToken(keyless.app, ['publish']);
      const response = await keyless.app.inject({ method: 'POST', url: `/v1/organisations/${org.organisation.id}/webhooks`, headers: bearer(org.token), payload: { url, events: ['release.published'] } });
      const problem = expectProblem(response, 503);
      expect(problem.type).toMatch(/webhook\.secret_key_missing$/);
      expect(problem.detail).toContain('HUB_WEBHOOK_SECRET_KEY');
    } finally {
      await keyless.close();
    }
  });
});
