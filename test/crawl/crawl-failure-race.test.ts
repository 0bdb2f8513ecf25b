import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crawlRepository, FAILURES_BEFORE_PAUSE } from '../../src/domain/crawl/crawl.service';
import type { InProcessQueue } from '../../src/jobs/in-process-queue';
import { startGitServer, type GitServer } from '../helpers/git-server';
import { bearer, createTestHub, organisationWithToken, type TestHub } from '../helpers/hub';
import { until } from '../helpers/worker-process';
import { queryDatabase } from '../http/fixtures';
import { register } from './crawl-fixtures';

/**
 * A crawl that fails after a slow host kept it for seconds: the count of failures and the pause
 * are what the repository is when the crawl ends, not what it was when the crawl began.
 */
describe('a crawl that fails while the software is deactivated', { timeout: 60_000 }, () => {
  let hub: TestHub;
  let git: GitServer;

  beforeAll(async () => {
    git = await startGitServer();
    // The refs listing gives up after 2 s: a host that sends one byte every 100 ms fails in time.
    hub = await createTestHub({ HUB_CRAWL_REFS_TIMEOUT_SECONDS: '2' });
  });
  afterAll(async () => {
    await hub?.close();
    await git?.close();
  });

  it('keeps the pause for the deactivated software, so reactivating it lets the crawls go on', async () => {
    const owner = await organisationWithToken(hub.app, ['publish']);
    const name = 'stadt/langsam';
    await git.createRepo(name, { 'README.md': '# Langsam' });
    const repo = await register(hub.app, git.repoUrl(name), owner.organisation.id);
    await (hub.deps.hub.queue as InProcessQueue).idle();
    // One failure short of the pause for repeated failures.
    await queryDatabase(hub, 'UPDATE repository SET consecutive_failures = $1 WHERE id = $2', [FAILURES_BEFORE_PAUSE - 1, repo.id]);

    git.dribbles.set(name, 'refs');
    const seen = git.requests.length;
    const crawl = crawlRepository(hub.deps.hub, repo.id, { attempt: 5, maxAttempts: 5, signal: AbortSignal.timeout(20_000), updateProgress: async () => {} });
    // Its first request: the refs listing (GET info/refs, or protocol v2's ls-refs), sent a byte at a time.
    await until(async () => git.requests.length > seen, Boolean, 'the crawl to list the refs');
    // While the host dribbles, the owner deactivates the software: its repositories pause.
    expect((await hub.app.inject({ method: 'DELETE', url: `/v1/software/${repo.softwareId}`, headers: bearer(owner.token) })).statusCode).toBe(204);
    await expect(crawl).rejects.toThrow();

    const after = (await hub.app.inject(`/v1/repositories/${repo.id}`)).json().crawl;
    expect(after).toMatchObject({ state: 'failed', consecutiveFailures: FAILURES_BEFORE_PAUSE, paused: { reason: 'software-inactive' } });
    await hub.app.inject({ method: 'PATCH', url: `/v1/software/${repo.softwareId}`, headers: bearer(owner.token), payload: { active: true } });
    expect((await hub.app.inject(`/v1/repositories/${repo.id}`)).json().crawl.paused).toBeNull();
  });
});
