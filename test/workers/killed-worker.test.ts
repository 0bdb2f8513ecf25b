import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIT } from '../crawl/crawl-fixtures';
import { startGitServer, type GitServer, type TestRepo } from '../helpers/git-server';
import { admin, createTestHub, type TestHub } from '../helpers/hub';
import { queryDatabase } from '../http/fixtures';
import { startWorkerProcess, until, type WorkerProcess } from '../helpers/worker-process';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const NAME = 'stadt/absturz';

type Repository = { crawl: { state: string }; headCommit: string | null };
type Release = { version: string };

/**
 * A worker process killed (SIGKILL) in the middle of a crawl: nothing of that crawl is in the
 * database, and another worker takes the job over once its lock runs out and finishes it once,
 * without duplicate releases.
 */
describe('a worker killed mid-crawl', { timeout: 120_000 }, () => {
  let hub: TestHub;
  let server: GitServer;
  let repo: TestRepo;
  const workers: WorkerProcess[] = [];
  let repositoryId: string;
  let softwareId: string;
  let env: Record<string, string>;

  const repository = async () => (await hub.app.inject(`/v1/repositories/${repositoryId}`)).json() as Repository;
  const releases = async () => (await hub.app.inject(`/v1/software/${softwareId}/releases`)).json().items as Release[];
  const readme = async () => (await hub.app.inject(`/v1/software/${softwareId}`)).json().readme?.markdown as string | undefined;
  const fetches = () => server.requests.filter((r) => r.startsWith(`POST /${NAME}`) && r.endsWith('(fetch)')).length;

  beforeAll(async () => {
    const prefix = `th-test-${randomBytes(4).toString('hex')}`;
    server = await startGitServer();
    hub = await createTestHub({ REDIS_URL, HUB_QUEUE_PREFIX: prefix });
    // A lock of 2 s: the killed worker's job is taken over within seconds, not after BullMQ's 30.
    env = { DATABASE_URL: hub.deps.hub.config.databaseUrl!, REDIS_URL, HUB_QUEUE_PREFIX: prefix, HUB_WORKER_LOCK_SECONDS: '2' };
    workers.push(startWorkerProcess(env));
    repo = await server.createRepo(NAME, { 'README.md': '# Absturz\n\nErster Stand.', LICENSE: MIT });
    await repo.tag('v1.0.0');
    await repo.push();
    const org = await hub.app.inject({ method: 'POST', url: '/v1/organisations', headers: admin, payload: { name: 'Absturzstadt', kind: 'municipality' } });
    const registered = await hub.app.inject({ method: 'POST', url: '/v1/repositories', headers: admin, payload: { url: server.repoUrl(NAME), organisationId: org.json().id } });
    expect(registered.statusCode, registered.body).toBe(202);
    repositoryId = registered.json().id;
    softwareId = registered.json().softwareId;
    await until(repository, (r) => r.crawl.state === 'succeeded', 'the first crawl');
  }, 60_000);

  afterAll(async () => {
    for (const worker of workers) if (worker.child.exitCode === null) worker.child.kill('SIGKILL');
    await hub?.close();
    await server?.close();
  });

  it('leaves the previous state when killed, and the job is finished once by the next worker', async () => {
    const before = await repository();
    await repo.commit({ 'README.md': '# Absturz\n\nZweiter Stand.' });
    await repo.tag('v1.1.0');
    await repo.tag('v1.2.0');
    await repo.push();

    // The host hangs in the middle of the clone; the worker is killed while waiting for it.
    server.stalls.add(NAME);
    const fetchesBefore = fetches();
    const crawl = await hub.app.inject({ method: 'POST', url: `/v1/repositories/${repositoryId}/crawl`, headers: admin });
    expect(crawl.statusCode).toBe(202);
    await until(async () => fetches(), (n) => n > fetchesBefore, 'the clone request');
    expect((await repository()).crawl.state).toBe('running');
    workers[0]!.child.kill('SIGKILL');
    await workers[0]!.exited;

    // Nothing of the interrupted crawl was written.
    expect((await releases()).map((r) => r.version)).toEqual(['1.0.0']);
    expect(await readme()).toContain('Erster Stand');
    expect((await repository()).headCommit).toBe(before.headCommit);

    // Another worker takes the job over once the dead worker's lock has run out.
    server.stalls.delete(NAME);
    workers.push(startWorkerProcess(env));
    await until(repository, (r) => r.crawl.state === 'succeeded' && r.headCommit !== before.headCommit, 'the taken-over crawl', 60_000);
    expect((await releases()).map((r) => r.version)).toEqual(['1.2.0', '1.1.0', '1.0.0']);
    expect(await readme()).toContain('Zweiter Stand');
    const [{ n }] = await queryDatabase<{ n: number }>(hub, 'SELECT count(*)::int AS n FROM release WHERE software_id = $1', [softwareId]);
    expect(n).toBe(3);

    workers[1]!.child.kill('SIGTERM');
    expect(await workers[1]!.exited).toBe(0);
  });
});
