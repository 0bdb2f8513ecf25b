import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestHub, organisationWithToken, type TestHub } from '../helpers/hub';
import { startWebhookReceiver, WEBHOOK_KEY, type WebhookReceiver } from '../helpers/webhook-receiver';
import { startWorkerProcess, until, type WorkerProcess } from '../helpers/worker-process';
import { createSoftware, queryDatabase } from '../http/fixtures';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

type Delivery = { state: string; messageId: string; attempts: { statusCode: number | null }[] };

/**
 * Server mode end to end: the API writes a release and its event (outbox), a worker process's
 * dispatcher turns it into a delivery job, and the worker is killed (SIGKILL) while the receiver
 * holds the request. The next worker takes the job over once the lock runs out and delivers the
 * event: nothing is lost, and the receiver sees the same webhook-id twice (at least once).
 */
describe('a worker killed mid-delivery', { timeout: 120_000 }, () => {
  let hub: TestHub;
  let receiver: WebhookReceiver;
  const workers: WorkerProcess[] = [];
  let env: Record<string, string>;

  beforeAll(async () => {
    const prefix = `th-test-${randomBytes(4).toString('hex')}`;
    receiver = await startWebhookReceiver();
    const webhooks = { HUB_WEBHOOK_SECRET_KEY: WEBHOOK_KEY, HUB_WEBHOOK_DISPATCH_SECONDS: '1' };
    hub = await createTestHub({ REDIS_URL, HUB_QUEUE_PREFIX: prefix, ...webhooks });
    // A lock of 2 s: the killed worker's job is taken over within seconds; a 60 s time limit keeps
    // the held request open until the kill.
    env = { DATABASE_URL: hub.deps.hub.config.databaseUrl!, REDIS_URL, HUB_QUEUE_PREFIX: prefix, HUB_WORKER_LOCK_SECONDS: '2', HUB_WEBHOOK_TIMEOUT_SECONDS: '60', ...webhooks };
    workers.push(startWorkerProcess(env));
  }, 60_000);

  afterAll(async () => {
    for (const worker of workers) if (worker.child.exitCode === null) worker.child.kill('SIGKILL');
    await hub?.close();
    await receiver?.close();
  });

  it('delivers the event after the next worker takes the job over', async () => {
    const owner = await organisationWithToken(hub.app, ['publish']);
    const software = await createSoftware(hub.app, owner.token, { organisationId: owner.organisation.id });
    const created = await hub.app.inject({
      method: 'POST',
      url: `/v1/organisations/${owner.organisation.id}/webhooks`,
      headers: bearer(owner.token),
      payload: { url: receiver.url, events: ['release.published'] },
    });
    expect(created.statusCode, created.body).toBe(201);
    const { id, secret } = created.json() as { id: string; secret: string };
    receiver.script({ kind: 'hang' });
    const pushed = await hub.app.inject({ method: 'POST', url: `/v1/software/${software.id}/releases`, headers: bearer(owner.token), payload: { version: '3.0.0' } });
    expect(pushed.statusCode, pushed.body).toBe(201);

    await until(async () => receiver.received.length, (n) => n === 1, 'the first request to arrive (and hang)');
    workers[0]!.child.kill('SIGKILL');
    await workers[0]!.exited;
    // Nothing recorded for the interrupted attempt: it is neither a success nor a failure.
    expect(await queryDatabase(hub, 'SELECT attempt FROM webhook_attempt JOIN webhook_delivery d ON d.id = delivery_id WHERE d.subscription_id = $1', [id])).toEqual([]);

    workers.push(startWorkerProcess(env));
    const deliveries = async () => (await hub.app.inject({ url: `/v1/webhooks/${id}/deliveries`, headers: bearer(owner.token) })).json().items as Delivery[];
    const [delivery] = await until(deliveries, (items) => items[0]?.state === 'succeeded', 'the delivery by the second worker', 60_000);
    expect(delivery!.attempts.map((a) => a.statusCode)).toEqual([204]);
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received.map((r) => r.headers['webhook-id'])).toEqual([delivery!.messageId, delivery!.messageId]);
    expect(receiver.verify(receiver.received[1]!, secret)).toMatchObject({ type: 'release.published', data: { release: { version: '3.0.0' } } });
  });
});
