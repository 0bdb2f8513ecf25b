import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InProcessQueue } from '../../src/jobs/in-process-queue';
import { startGitServer, type GitServer } from '../helpers/git-server';
import { admin, createTestHub, organisationWithToken, type TestHub } from '../helpers/hub';
import { startWorkerProcess, until } from '../helpers/worker-process';
import { MIT, register } from './crawl-fixtures';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

type Crawl = { state: string; lastCheckedAt: string | null; lastSuccessAt: string | null; lastError: string | null };

/** The same race in both modes: the in-process runner and BullMQ with a worker process (keepLastIfActive). */
describe.each([
  { mode: 'embedded job runner', server: false },
  { mode: 'server mode (BullMQ, a worker process)', server: true },
])('a refresh requested while a crawl runs ($mode)', { timeout: 90_000 }, ({ server: serverMode }) => {
  let hub: TestHub;
  let git: GitServer;
  let worker: ChildProcess | undefined;
  let organisationId: string;

  beforeAll(async () => {
    git = await startGitServer();
    const prefix = `th-test-${randomBytes(4).toString('hex')}`;
    hub = await createTestHub(serverMode ? { REDIS_URL, HUB_QUEUE_PREFIX: prefix } : {});
    if (serverMode) {
      worker = startWorkerProcess({ DATABASE_URL: hub.deps.hub.config.databaseUrl!, REDIS_URL, HUB_QUEUE_PREFIX: prefix }).child;
    }
    organisationId = (await organisationWithToken(hub.app, ['publish'])).organisation.id;
  }, 60_000);
  afterAll(async () => {
    if (worker && worker.exitCode === null) worker.kill('SIGKILL');
    await hub?.close();
    await git?.close();
  });

  const crawlOf = async (id: string): Promise<Crawl> => (await hub.app.inject(`/v1/repositories/${id}`)).json().crawl;
  const refresh = (id: string) => hub.app.inject({ method: 'POST', url: `/v1/repositories/${id}/crawl`, headers: admin });
  /** Until no crawl of the repository is waiting or running, and the last check came after the last success (a later check ran). */
  async function settled(id: string, options: { checkedAfterSuccess: boolean }) {
    if (!serverMode) await (hub.deps.hub.queue as InProcessQueue).idle();
    return until(
      () => crawlOf(id),
      (c) => !['queued', 'running'].includes(c.state) && (!options.checkedAfterSuccess || c.lastCheckedAt! > c.lastSuccessAt!),
      'the crawls to finish',
    );
  }

  it('reports what happened: the running crawl took the new tag, so the state is "succeeded", not "unchanged"', async () => {
    const name = `stadt/wettlauf-${serverMode ? 'server' : 'eingebettet'}`;
    const repo = await git.createRepo(name, { 'README.md': '# Wettlauf', LICENSE: MIT });
    await repo.tag('v1.1.0');
    await repo.push();
    const registered = await register(hub.app, git.repoUrl(name), organisationId);
    expect((await settled(registered.id, { checkedAfterSuccess: false })).state).toBe('succeeded');

    // Release 1.2.0 is tagged; a first refresh (or a webhook) starts a crawl that sees it and is held at its clone.
    await repo.commit({ 'CHANGELOG.md': '1.2.0' }, 'Version 1.2.0');
    await repo.tag('v1.2.0');
    await repo.push();
    git.stalls.add(name);
    expect((await refresh(registered.id)).statusCode).toBe(202);
    await until(() => crawlOf(registered.id), (c) => c.state === 'running', 'the crawl to run');

    // The user asks again while it runs: the request is kept for after the running crawl.
    expect((await refresh(registered.id)).json()).toMatchObject({ deduplicated: true });
    git.releaseStall(name);
    const crawl = await settled(registered.id, { checkedAfterSuccess: true });

    const releases = (await hub.app.inject(`/v1/software/${registered.softwareId}/releases`)).json().items;
    expect(releases.map((r: { version: string }) => r.version)).toEqual(['1.2.0', '1.1.0']);
    expect(crawl.state).toBe('succeeded');

    // A refresh asked after that crawl finished finds nothing new, and says so.
    await refresh(registered.id);
    await until(() => crawlOf(registered.id), (c) => c.state === 'unchanged' && c.lastCheckedAt! > crawl.lastCheckedAt!, 'the check to say "unchanged"');
  });
});
