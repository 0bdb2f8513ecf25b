import { randomBytes, randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { federationRecords } from '../../src/db/schema';
import { federationPullJob, pullSchedulerId } from '../../src/jobs/federation-pull.job';
import { startFakePeer, type FakePeer } from '../helpers/fake-peer';
import { pinFakePeer } from '../helpers/federation-peer-row';
import { createTestHub, type TestHub } from '../helpers/hub';
import { startWorkerProcess, until, type WorkerProcess } from '../helpers/worker-process';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * Server mode: a worker process (BullMQ, real Redis) creates one job scheduler per pullable peer
 * and pulls the fake peer on it; a notify storm of jobs for one peer is deduplicated.
 */
describe('federation pulls in a worker process', { timeout: 120_000 }, () => {
  let hub: TestHub;
  let peer: FakePeer;
  let peerId: string;
  let worker: WorkerProcess;
  const uuid = randomUUID();
  const org = randomUUID();

  beforeAll(async () => {
    const prefix = `th-test-${randomBytes(4).toString('hex')}`;
    const federation = { HUB_FEDERATION: 'true', HUB_PUBLIC_URL: 'https://hub-b.example' };
    hub = await createTestHub({ REDIS_URL, HUB_QUEUE_PREFIX: prefix, ...federation });
    peer = await startFakePeer();
    peerId = await pinFakePeer(hub.deps.hub, peer, { pullIntervalSeconds: 1 });
    peer.publish({ type: 'organisation', uuid: org, version: 1, record: { slug: `gemeinde-${org.slice(0, 8)}`, name: 'Gemeinde', kind: 'municipality', officialKey: '09999111' } });
    peer.publish({ type: 'software', uuid, version: 1, record: { slug: `tool-${uuid.slice(0, 8)}`, name: 'Werkzeug', organisation: `${peer.hubId}/id/organisation/${org}` } });
    worker = startWorkerProcess({ DATABASE_URL: hub.deps.hub.config.databaseUrl!, REDIS_URL, HUB_QUEUE_PREFIX: prefix, HUB_ALLOW_PRIVATE_HOSTS: 'true', ...federation });
  }, 60_000);

  afterAll(async () => {
    if (worker?.child.exitCode === null) worker.child.kill('SIGKILL');
    await peer?.close();
    await hub?.close();
  });

  it('pulls the peer on its job scheduler and applies its software', async () => {
    const held = async () => (await hub.deps.hub.db.select().from(federationRecords).where(eq(federationRecords.globalId, `${peer.hubId}/id/software/${uuid}`)))[0];
    await until(held, (row) => row !== undefined, "the peer software applied by the worker", 40_000);
    expect(await held()).toMatchObject({ originHub: peer.hubId, status: 'active' });
    expect(await hub.deps.hub.queue.hasScheduler(pullSchedulerId(peer.hubId), federationPullJob)).toBe(true);
  });

  it('deduplicates a storm of pull requests for one peer', async () => {
    const results = await Promise.all(Array.from({ length: 50 }, () => hub.deps.hub.queue.enqueue(federationPullJob, { peerId, reason: 'notify' })));
    expect(results.filter((result) => !result.deduplicated).length).toBeLessThanOrEqual(2);
  });
});
