import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { crawlRepository } from '../../src/domain/crawl/crawl.service';
import { dispatchWebhookEvents } from '../../src/domain/webhooks/dispatch.service';
import { recordEvent } from '../../src/domain/webhooks/events';
import { MIT } from '../crawl/crawl-fixtures';
import { startGitServer, type GitServer } from '../helpers/git-server';
import { bearer, createTestHub, organisationWithToken, type TestHub } from '../helpers/hub';
import { startWebhookReceiver, WEBHOOK_KEY, type WebhookReceiver } from '../helpers/webhook-receiver';
import { until } from '../helpers/worker-process';
import { publisherWithSoftware, queryDatabase } from './fixtures';

type Attempt = { attempt: number; startedAt: string; statusCode: number | null; responseExcerpt: string | null; error: string | null; durationMs: number };
type Delivery = { id: string; messageId: string; state: string; event: { type: string }; attempts: Attempt[] };
type Message = { type: string; timestamp: string; eventId: string; data: Record<string, unknown> & { release?: { version: string }; reuse?: unknown } };

const DISABLE_AFTER_DAYS = 3;

/**
 * Deliveries to a real HTTP receiver on loopback: signed (verified with the standardwebhooks
 * library as a receiver would), retried through failures, time-outs and 429s until accepted,
 * logged attempt by attempt; and the events that the hub's writes put into the outbox.
 */
describe('webhook deliveries', { timeout: 60_000 }, () => {
  let hub: TestHub;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    hub = await createTestHub({
      HUB_WEBHOOK_SECRET_KEY: WEBHOOK_KEY,
      // The tests dispatch themselves; retries 50 ms apart and a 1 s time limit keep them short.
      HUB_WEBHOOK_DISPATCH_SECONDS: '3600',
      HUB_WEBHOOK_RETRY_BASE_MS: '50',
      HUB_WEBHOOK_TIMEOUT_SECONDS: '1',
      HUB_WEBHOOK_ATTEMPTS: '6',
      HUB_WEBHOOK_DISABLE_AFTER_DAYS: String(DISABLE_AFTER_DAYS),
    });
  });
  afterAll(async () => {
    await hub?.close();
    await receiver?.close();
  });
  beforeEach(() => {
    receiver.received.length = 0;
  });

  const dispatch = () => dispatchWebhookEvents(hub.deps.hub);
  async function subscribe(org: { organisation: { id: string }; token: string }, payload: Record<string, unknown>) {
    const response = await hub.app.inject({ method: 'POST', url: `/v1/organisations/${org.organisation.id}/webhooks`, headers: bearer(org.token), payload: { url: receiver.url, ...payload } });
    expect(response.statusCode, response.body).toBe(201);
    return response.json() as { id: string; secret: string };
  }
  const deliveries = async (id: string, token: string) =>
    (await hub.app.inject({ url: `/v1/webhooks/${id}/deliveries`, headers: bearer(token) })).json().items as Delivery[];
  const settled = (id: string, token: string, count = 1) =>
    until(() => deliveries(id, token), (items) => items.length >= count && items.every((d) => d.state !== 'pending'), 'deliveries to settle');

  it('a pushed release reaches the owner and every organisation reusing the software, signed', async () => {
    const owner = await publisherWithSoftware(hub.app);
    const reuser = await organisationWithToken(hub.app, ['reuse']);
    const bystander = await organisationWithToken(hub.app, ['reuse']);
    const ownerSub = await subscribe(owner, { events: ['release.published', 'reuse.recorded'] });
    const reuserSub = await subscribe(reuser, { events: ['release.published'] });
    const bystanderSub = await subscribe(bystander, { events: ['release.published'] });
    const reuse = await hub.app.inject({ method: 'POST', url: `/v1/software/${owner.software.id}/reuses`, headers: bearer(reuser.token), payload: { status: 'production' } });
    expect(reuse.statusCode, reuse.body).toBe(201);
    const pushed = await hub.app.inject({ method: 'POST', url: `/v1/software/${owner.software.id}/releases`, headers: bearer(owner.token), payload: { version: '2.1.0', notes: 'Sicherheitsupdate' } });
    expect(pushed.statusCode, pushed.body).toBe(201);
    // The same push again publishes nothing new: no second event.
    await hub.app.inject({ method: 'POST', url: `/v1/software/${owner.software.id}/releases`, headers: bearer(owner.token), payload: { version: '2.1.0', notes: 'Sicherheitsupdate' } });
    await dispatch();

    const ownerLog = await settled(ownerSub.id, owner.token, 2);
    expect(ownerLog.map((d) => d.event.type).sort()).toEqual(['release.published', 'reuse.recorded']);
    const reuserLog = await settled(reuserSub.id, reuser.token);
    expect(reuserLog.map((d) => [d.event.type, d.state])).toEqual([['release.published', 'succeeded']]);
    expect(await deliveries(bystanderSub.id, bystander.token)).toEqual([]);

    const forReuser = receiver.received.find((r) => r.headers['webhook-id'] === reuserLog[0]!.messageId)!;
    const message = receiver.verify(forReuser, reuserSub.secret) as Message;
    expect(message).toMatchObject({ type: 'release.published', data: { software: { id: owner.software.id }, release: { version: '2.1.0', notes: 'Sicherheitsupdate' } } });
    expect(() => receiver.verify(forReuser, ownerSub.secret)).toThrow();
    const reuseMessage = receiver.received.map((r) => JSON.parse(r.body) as Message).find((m) => m.type === 'reuse.recorded')!;
    expect(reuseMessage.data.reuse).toMatchObject({ status: 'production', organisation: { id: reuser.organisation.id } });
    // Two to the owner, one to the reuser, none to the bystander, and none for the repeated push.
    expect(receiver.received).toHaveLength(3);
  });

  it('retries through a failure, a hang and a 429 until the receiver accepts, logging every attempt under one webhook-id', async () => {
    const org = await organisationWithToken(hub.app, ['publish']);
    const sub = await subscribe(org, { events: ['crawl.failed'] });
    receiver.script({ kind: 'fail' }, { kind: 'hang' }, { kind: 'throttle', retryAfterSeconds: 1 }, { kind: 'ok' });
    const ping = await hub.app.inject({ method: 'POST', url: `/v1/webhooks/${sub.id}/ping`, headers: bearer(org.token) });
    expect(ping.statusCode, ping.body).toBe(202);
    const [delivery] = await settled(sub.id, org.token);
    expect(delivery!.state).toBe('succeeded');
    expect(delivery!.attempts.map((a) => a.statusCode)).toEqual([500, null, 429, 204]);
    expect(delivery!.attempts[0]!.responseExcerpt).toBe('kaputt: database gone');
    expect(delivery!.attempts[1]!.error).toMatch(/time limit/);
    expect(delivery!.attempts[2]!.error).toMatch(/429/);
    // Retry-After: 1 was honoured: the fourth attempt came no sooner than a second after the third.
    const [third, fourth] = [delivery!.attempts[2]!, delivery!.attempts[3]!];
    expect(Date.parse(fourth.startedAt) - (Date.parse(third.startedAt) + third.durationMs)).toBeGreaterThanOrEqual(990);
    const ids = new Set(receiver.received.map((r) => r.headers['webhook-id']));
    expect(ids).toEqual(new Set([delivery!.messageId]));
    expect(receiver.received.map((r) => r.answered)).toEqual(['fail', 'hang', 'throttle', 'ok']);
    for (const request of receiver.received) expect(receiver.verify(request, sub.secret)).toMatchObject({ type: 'webhook.ping' });
  });

  it('after a rotation, messages verify with the new and, during the overlap, with the old secret', async () => {
    const org = await organisationWithToken(hub.app, ['publish']);
    const sub = await subscribe(org, { events: ['crawl.failed'] });
    const rotated = await hub.app.inject({ method: 'POST', url: `/v1/webhooks/${sub.id}/rotate-secret`, headers: bearer(org.token) });
    const fresh = (rotated.json() as { secret: string }).secret;
    await hub.app.inject({ method: 'POST', url: `/v1/webhooks/${sub.id}/ping`, headers: bearer(org.token) });
    await settled(sub.id, org.token);
    const [request] = receiver.received;
    expect((request!.headers['webhook-signature'] as string).split(' ')).toHaveLength(2);
    expect(receiver.verify(request!, fresh)).toMatchObject({ type: 'webhook.ping' });
    expect(receiver.verify(request!, sub.secret)).toMatchObject({ type: 'webhook.ping' });
    // Once the overlap is over, only the new secret signs.
    await queryDatabase(hub, "UPDATE webhook_subscription SET previous_secret_until = now() - interval '1 second' WHERE id = $1", [sub.id]);
    receiver.received.length = 0;
    await hub.app.inject({ method: 'POST', url: `/v1/webhooks/${sub.id}/ping`, headers: bearer(org.token) });
    await settled(sub.id, org.token, 2);
    expect((receiver.received[0]!.headers['webhook-signature'] as string).split(' ')).toHaveLength(1);
    expect(() => receiver.verify(receiver.received[0]!, sub.secret)).toThrow();
    expect(receiver.verify(receiver.received[0]!, fresh)).toMatchObject({ type: 'webhook.ping' });
  });

  it('cuts off an endless answer and keeps a short excerpt', async () => {
    const org = await organisationWithToken(hub.app, ['publish']);
    const sub = await subscribe(org, { events: ['crawl.failed'] });
    receiver.script({ kind: 'huge' });
    await hub.app.inject({ method: 'POST', url: `/v1/webhooks/${sub.id}/ping`, headers: bearer(org.token) });
    const [delivery] = await settled(sub.id, org.token);
    expect(delivery!.state).toBe('succeeded');
    expect(delivery!.attempts[0]!.responseExcerpt).toHaveLength(1024);
  });

  it('gives up after the configured attempts, and redelivery sends the same message again', async () => {
    const org = await organisationWithToken(hub.app, ['publish']);
    const sub = await subscribe(org, { events: ['crawl.failed'] });
    receiver.script(...Array.from({ length: 6 }, () => ({ kind: 'fail' as const })));
    await hub.app.inject({ method: 'POST', url: `/v1/webhooks/${sub.id}/ping`, headers: bearer(org.token) });
    const [failed] = await settled(sub.id, org.token);
    expect(failed!.state).toBe('failed');
    expect(failed!.attempts).toHaveLength(6);
    const again = await hub.app.inject({ method: 'POST', url: `/v1/webhooks/${sub.id}/deliveries/${failed!.id}/redeliver`, headers: bearer(org.token) });
    expect(again.statusCode, again.body).toBe(202);
    const [redelivered] = await settled(sub.id, org.token);
    expect(redelivered!.state).toBe('succeeded');
    expect(redelivered!.attempts.map((a) => a.attempt)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(new Set(receiver.received.map((r) => r.headers['webhook-id']))).toEqual(new Set([failed!.messageId]));
  });

  it('a redelivery asked for while the last attempt is under way starts a new round: that attempt failing does not give the delivery up', async () => {
    const org = await organisationWithToken(hub.app, ['publish']);
    const sub = await subscribe(org, { events: ['crawl.failed'] });
    // Five failures, then the last attempt of the round hangs until the 1 s time limit.
    receiver.script(...Array.from({ length: 5 }, () => ({ kind: 'fail' as const })), { kind: 'hang' });
    await hub.app.inject({ method: 'POST', url: `/v1/webhooks/${sub.id}/ping`, headers: bearer(org.token) });
    await until(async () => receiver.received.length, (n) => n === 6, 'the last attempt to be sent');
    const [pending] = await deliveries(sub.id, org.token);
    expect(pending!.attempts).toHaveLength(5);
    const again = await hub.app.inject({ method: 'POST', url: `/v1/webhooks/${sub.id}/deliveries/${pending!.id}/redeliver`, headers: bearer(org.token) });
    expect(again.statusCode, again.body).toBe(202);
    const [delivery] = await settled(sub.id, org.token);
    expect(delivery!.state).toBe('succeeded');
    expect(receiver.received.at(-1)!.answered).toBe('ok');
  });

  it('disables a subscription whose deliveries failed on several days in a row, with a note the organisation reads', async () => {
    const org = await organisationWithToken(hub.app, ['publish']);
    const sub = await subscribe(org, { events: ['crawl.failed'] });
    // Two failing days are behind it (yesterday the last); today's failure is the third.
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    await queryDatabase(hub, 'UPDATE webhook_subscription SET failure_days = $1, last_failure_day = $2 WHERE id = $3', [DISABLE_AFTER_DAYS - 1, yesterday, sub.id]);
    receiver.script({ kind: 'fail' });
    await hub.app.inject({ method: 'POST', url: `/v1/webhooks/${sub.id}/ping`, headers: bearer(org.token) });
    const state = await until(async () => (await hub.app.inject({ url: `/v1/webhooks/${sub.id}`, headers: bearer(org.token) })).json(), (s) => s.state === 'disabled', 'the subscription to be disabled');
    expect(state.disabledReason).toMatch(/3 days in a row/);
    expect(state.failureDays).toBe(DISABLE_AFTER_DAYS);
    const [delivery] = await settled(sub.id, org.token);
    expect(delivery!.state).toBe('cancelled');
    expect(delivery!.attempts).toHaveLength(1);
    const log = await hub.app.inject({ url: `/v1/audit-events?entityType=webhook_subscription&entityId=${sub.id}`, headers: bearer(org.token) });
    expect(log.json().items[0]).toMatchObject({ action: 'webhook.disabled', actor: 'hub (webhook delivery)', detail: { failureDays: DISABLE_AFTER_DAYS } });
  });

  it('a failure counts against the streak as it is when the attempt ends: a success meanwhile ended it, so the subscription stays active', async () => {
    const org = await organisationWithToken(hub.app, ['publish']);
    const sub = await subscribe(org, { events: ['crawl.failed'] });
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    await queryDatabase(hub, 'UPDATE webhook_subscription SET failure_days = $1, last_failure_day = $2 WHERE id = $3', [DISABLE_AFTER_DAYS - 1, yesterday, sub.id]);
    receiver.script({ kind: 'hang' });
    await hub.app.inject({ method: 'POST', url: `/v1/webhooks/${sub.id}/ping`, headers: bearer(org.token) });
    await until(async () => receiver.received.length, (n) => n === 1, 'the attempt to be sent');
    // While it hangs, another delivery to the endpoint succeeds: the streak ends there.
    await queryDatabase(hub, 'UPDATE webhook_subscription SET failure_days = 0, last_failure_day = NULL, last_success_at = now() WHERE id = $1', [sub.id]);
    const [delivery] = await settled(sub.id, org.token);
    expect(delivery!.state).toBe('succeeded');
    const state = (await hub.app.inject({ url: `/v1/webhooks/${sub.id}`, headers: bearer(org.token) })).json();
    expect(state).toMatchObject({ state: 'active', failureDays: 0 });
  });

  it('a subscription filtered by software receives only events about that software', async () => {
    const owner = await publisherWithSoftware(hub.app);
    const second = await hub.app.inject({ method: 'POST', url: '/v1/software', headers: bearer(owner.token), payload: { name: 'Zweites Werkzeug', organisationId: owner.organisation.id } });
    const sub = await subscribe(owner, { events: ['release.published'], softwareIds: [owner.software.id] });
    for (const software of [owner.software.id, second.json().id]) {
      await hub.app.inject({ method: 'POST', url: `/v1/software/${software}/releases`, headers: bearer(owner.token), payload: { version: '1.0.0' } });
    }
    await dispatch();
    const log = await settled(sub.id, owner.token);
    expect(log).toHaveLength(1);
    expect(receiver.verify(receiver.received.find((r) => r.headers['webhook-id'] === log[0]!.messageId)!, sub.secret)).toMatchObject({ data: { software: { id: owner.software.id } } });
  });

  it('an event belongs to its transaction: a rolled-back write leaves nothing in the outbox', async () => {
    const org = await organisationWithToken(hub.app, ['publish']);
    await expect(
      hub.deps.hub.db.transaction(async (tx) => {
        await recordEvent(tx, { type: 'need.matched', organisationId: org.organisation.id, data: { marker: 'rolled-back' } });
        throw new Error('the write failed after the event was recorded');
      }),
    ).rejects.toThrow(/write failed/);
    const rows = await queryDatabase(hub, "SELECT id FROM webhook_event WHERE data->>'marker' = 'rolled-back'");
    expect(rows).toEqual([]);
  });

  it('a pending delivery whose job was lost (restart, Redis data loss) is sent by the next dispatcher run', async () => {
    const org = await organisationWithToken(hub.app, ['publish']);
    const sub = await subscribe(org, { events: ['need.matched'] });
    // An event and its delivery as a dispatcher left them before its jobs were added: no job exists.
    const [event] = await queryDatabase<{ id: string }>(
      hub,
      `INSERT INTO webhook_event (type, organisation_id, data, dispatched_at) VALUES ('need.matched', $1, '{"need":"Beteiligungsplattform"}', now()) RETURNING id`,
      [org.organisation.id],
    );
    await queryDatabase(hub, "INSERT INTO webhook_delivery (event_id, subscription_id, next_attempt_at) VALUES ($1, $2, now() - interval '10 minutes')", [event!.id, sub.id]);
    expect((await dispatch()).requeued).toBeGreaterThanOrEqual(1);
    const [delivery] = await settled(sub.id, org.token);
    expect(delivery!.state).toBe('succeeded');
    expect(receiver.verify(receiver.received.at(-1)!, sub.secret)).toMatchObject({ type: 'need.matched', data: { need: 'Beteiligungsplattform' } });
  });

  it('the delivery log keeps 30 days: older events leave with their deliveries', async () => {
    const org = await organisationWithToken(hub.app, ['publish']);
    const sub = await subscribe(org, { events: ['need.matched'] });
    const [event] = await queryDatabase<{ id: string }>(
      hub,
      "INSERT INTO webhook_event (type, organisation_id, data, created_at, dispatched_at) VALUES ('need.matched', $1, '{}', now() - interval '31 days', now() - interval '31 days') RETURNING id",
      [org.organisation.id],
    );
    await queryDatabase(hub, "INSERT INTO webhook_delivery (event_id, subscription_id, state, created_at) VALUES ($1, $2, 'succeeded', now() - interval '31 days')", [event!.id, sub.id]);
    expect(await deliveries(sub.id, org.token)).toHaveLength(1);
    expect((await dispatch()).expired).toBeGreaterThanOrEqual(1);
    expect(await deliveries(sub.id, org.token)).toEqual([]);
  });

  describe('crawl events', () => {
    let server: GitServer;
    beforeAll(async () => {
      server = await startGitServer();
    });
    afterAll(async () => server?.close());
    const finalAttempt = () => ({ attempt: 5, maxAttempts: 5, signal: AbortSignal.timeout(20_000), updateProgress: async () => {} });

    it('crawl.failed once when a working repository starts failing, crawl.recovered when it works again, release.published for a new tag but not for history', async () => {
      const owner = await organisationWithToken(hub.app, ['publish']);
      const sub = await subscribe(owner, { events: ['crawl.failed', 'crawl.recovered', 'release.published'] });
      const repo = await server.createRepo('stadt/ereignisse', { 'README.md': '# Ereignisse', LICENSE: MIT });
      await repo.tag('v1.0.0');
      await repo.push();
      const registered = await hub.app.inject({ method: 'POST', url: '/v1/repositories', headers: bearer(owner.token), payload: { url: server.repoUrl('stadt/ereignisse'), organisationId: owner.organisation.id } });
      const { id } = registered.json() as { id: string };
      await until(async () => (await hub.app.inject(`/v1/repositories/${id}`)).json().crawl.state, (s) => s === 'succeeded', 'the first crawl');

      server.failures.set('stadt/ereignisse', 503);
      await expect(crawlRepository(hub.deps.hub, id, finalAttempt())).rejects.toThrow();
      await expect(crawlRepository(hub.deps.hub, id, finalAttempt())).rejects.toThrow();
      server.failures.delete('stadt/ereignisse');
      await repo.tag('v1.1.0');
      await repo.push();
      expect(await crawlRepository(hub.deps.hub, id, finalAttempt())).toBe('succeeded');
      await dispatch();

      const log = await settled(sub.id, owner.token, 3);
      // Recovery and release come from one transaction: their order among each other is not defined.
      expect(log.map((d) => d.event.type).sort()).toEqual(['crawl.failed', 'crawl.recovered', 'release.published']);
      const bodies = receiver.received.map((r) => receiver.verify(r, sub.secret) as Message);
      expect(bodies.find((m) => m.type === 'crawl.failed')!.data).toMatchObject({ repository: { id }, error: expect.any(String) });
      expect(bodies.find((m) => m.type === 'crawl.recovered')!.data).toMatchObject({ repository: { id }, failedCrawls: 2 });
      expect(bodies.find((m) => m.type === 'release.published')!.data.release?.version).toBe('1.1.0');
    });
  });
});
