import type { ChildProcess } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGitServer, type GitServer, type TestRepo } from '../helpers/git-server';
import { admin, createTestHub, type TestHub } from '../helpers/hub';
import { startWorkerProcess, until } from '../helpers/worker-process';
import { MIT } from '../crawl/crawl-fixtures';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const SECRET = 'server-mode-geheimnis-0001';

let hub: TestHub;
let server: GitServer;
let worker: ChildProcess;
let workerExit: Promise<number | null>;
let repo: TestRepo;

beforeAll(async () => {
  const prefix = `th-test-${randomBytes(4).toString('hex')}`;
  server = await startGitServer();
  hub = await createTestHub({ REDIS_URL, HUB_QUEUE_PREFIX: prefix });
  ({ child: worker, exited: workerExit } = startWorkerProcess({
    DATABASE_URL: hub.deps.hub.config.databaseUrl!,
    REDIS_URL,
    HUB_QUEUE_PREFIX: prefix,
    HUB_WORKER_CONCURRENCY: '2',
  }));
  repo = await server.createRepo('stadt/server-modus', { 'README.md': '# Server-Modus\n\nÜber die Stadt.', LICENSE: MIT });
  await repo.tag('v1.0.0', { message: 'Erste Version' });
  await repo.push();
}, 60_000);

afterAll(async () => {
  if (worker && worker.exitCode === null) worker.kill('SIGKILL');
  await hub?.close();
  await server?.close();
});

describe('server mode: API, a separate worker process, PostgreSQL and Redis', { timeout: 90_000 }, () => {
  let repositoryId: string;
  let softwareId: string;
  let organisationId: string;

  it('registers a repository and the worker crawls README, licence and releases', async () => {
    const org = await hub.app.inject({ method: 'POST', url: '/v1/organisations', headers: admin, payload: { name: 'Servermodusstadt', kind: 'municipality' } });
    organisationId = org.json().id;
    await hub.app.inject({ method: 'PUT', url: `/v1/organisations/${organisationId}/webhook-secret`, headers: admin, payload: { secret: SECRET } });
    const registered = await hub.app.inject({ method: 'POST', url: '/v1/repositories', headers: admin, payload: { url: server.repoUrl('stadt/server-modus'), organisationId } });
    expect(registered.statusCode).toBe(202);
    repositoryId = registered.json().id;
    softwareId = registered.json().softwareId;
    const state = await until(async () => (await hub.app.inject(`/v1/repositories/${repositoryId}`)).json(), (r) => r.crawl.state === 'succeeded', 'the first crawl');
    expect(state.headCommit).toMatch(/^[0-9a-f]{40}$/);
    const software = (await hub.app.inject(`/v1/software/${softwareId}`)).json();
    expect(software.readme.markdown).toContain('Über die Stadt');
    expect(software.licence).toBe('MIT');
    expect(software.latestRelease.version).toBe('1.0.0');
  });

  it('a new tag pushed and announced by webhook becomes a new release', async () => {
    await repo.tag('v1.1.0');
    await repo.push();
    const body = JSON.stringify({ ref: 'refs/tags/v1.1.0', repository: { html_url: server.repoUrl('stadt/server-modus') } });
    const hook = await hub.app.inject({
      method: 'POST',
      url: '/v1/hooks/github',
      payload: body,
      headers: { 'content-type': 'application/json', 'x-github-event': 'create', 'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}` },
    });
    expect(hook.json()).toMatchObject({ enqueued: true });
    const releases = await until(
      async () => (await hub.app.inject(`/v1/software/${softwareId}/releases`)).json().items as { version: string }[],
      (items) => items.length === 2,
      'the new release',
    );
    expect(releases.map((r) => r.version)).toEqual(['1.1.0', '1.0.0']);
  });

  it('nothing changed: the crawl ends as "unchanged" without fetching', async () => {
    await until(async () => (await hub.app.inject(`/v1/repositories/${repositoryId}`)).json(), (r) => r.crawl.state === 'succeeded', 'the webhook crawl');
    const fetches = server.requests.filter((r) => r.endsWith('(fetch)')).length;
    const crawl = await hub.app.inject({ method: 'POST', url: `/v1/repositories/${repositoryId}/crawl`, headers: admin });
    expect(crawl.statusCode).toBe(202);
    await until(async () => (await hub.app.inject(`/v1/repositories/${repositoryId}`)).json(), (r) => r.crawl.state === 'unchanged', 'the unchanged crawl');
    expect(server.requests.filter((r) => r.endsWith('(fetch)')).length).toBe(fetches);
  });

  it('the worker stops cleanly on SIGTERM', async () => {
    worker.kill('SIGTERM');
    expect(await workerExit).toBe(0);
  });
});
