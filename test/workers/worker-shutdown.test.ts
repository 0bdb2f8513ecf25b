import { randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, createTestHub, type TestHub } from '../helpers/hub';
import { startWorkerProcess, until, type WorkerProcess } from '../helpers/worker-process';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * A worker told to stop while a crawl waits on a host that accepted the connection and never
 * answers (the crawl's own time limits set to an hour): the shutdown deadline ends the process.
 */
describe('a worker stopping with a job that never finishes', { timeout: 120_000 }, () => {
  let hub: TestHub;
  let host: Server;
  const connections: Socket[] = [];
  let worker: WorkerProcess;

  beforeAll(async () => {
    host = createServer((socket) => connections.push(socket));
    await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
    const prefix = `th-test-${randomBytes(4).toString('hex')}`;
    hub = await createTestHub({ REDIS_URL, HUB_QUEUE_PREFIX: prefix });
    worker = startWorkerProcess({
      DATABASE_URL: hub.deps.hub.config.databaseUrl!,
      REDIS_URL,
      HUB_QUEUE_PREFIX: prefix,
      LOG_LEVEL: 'info',
      HUB_SHUTDOWN_TIMEOUT_SECONDS: '2',
      HUB_CRAWL_REFS_TIMEOUT_SECONDS: '3600',
      HUB_CRAWL_GRACE_SECONDS: '3600',
    });
  }, 60_000);

  afterAll(async () => {
    if (worker?.child.exitCode === null) worker.child.kill('SIGKILL');
    for (const socket of connections) socket.destroy();
    await new Promise((resolve) => host?.close(resolve));
    await hub?.close();
  });

  it('exits with 1 after the deadline and names the jobs in flight', async () => {
    const { port } = host.address() as { port: number };
    const org = await hub.app.inject({ method: 'POST', url: '/v1/organisations', headers: admin, payload: { name: 'Wartestadt', kind: 'municipality' } });
    const registered = await hub.app.inject({
      method: 'POST',
      url: '/v1/repositories',
      headers: admin,
      payload: { url: `http://127.0.0.1:${port}/stadt/haengt.git`, organisationId: org.json().id },
    });
    expect(registered.statusCode, registered.body).toBe(202);
    await until(async () => connections.length, (count) => count > 0, 'the crawl to reach the host');

    worker.child.kill('SIGTERM');
    // 2 s deadline; 30 s bounds a loaded machine and is far below the crawl's hour.
    const code = await Promise.race([worker.exited, new Promise((resolve) => setTimeout(() => resolve('still running'), 30_000))]);
    expect(code, worker.output()).toBe(1);
    expect(worker.output()).toMatch(/shutdown deadline.*workers \(jobs in flight\)/);
  });
});
