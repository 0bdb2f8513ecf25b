import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crawlRepository } from '../../src/domain/crawl/crawl.service';
import { crawlThreads } from '../../src/domain/crawl/crawl-threads';
import { PermanentJobError } from '../../src/jobs/contract';
import type { InProcessQueue } from '../../src/jobs/in-process-queue';
import { startGitServer, type GitServer } from '../helpers/git-server';
import { admin, createTestHub, organisationWithToken, type TestHub } from '../helpers/hub';
import { buildPathologicalRepo } from '../helpers/pathological-repo';
import { register } from './crawl-fixtures';

/**
 * Issue 10 #2 and #6: a crawl's memory is bounded, its work runs off the API's event loop, a
 * hostile host is stopped by its pace and a hostile README does not fail the crawl.
 */
let server: GitServer;
/** A memory cap of 16 MiB: the repositories below inflate to 40 MB. */
let capped: TestHub;
/** A cap far above what the repository needs, so its crawl inflates everything (in its thread). */
let roomy: TestHub;
/** A host must send 1 KiB/s after 2 s; refs within 3 s. */
let strict: TestHub;
const orgs = new Map<TestHub, string>();

beforeAll(async () => {
  server = await startGitServer();
  capped = await createTestHub({ HUB_CRAWL_MEMORY_MB: '16' });
  roomy = await createTestHub({ HUB_CRAWL_MEMORY_MB: '2048' });
  strict = await createTestHub({ HUB_CRAWL_GRACE_SECONDS: '2', HUB_CRAWL_MIN_RATE_KB: '1', HUB_CRAWL_REFS_TIMEOUT_SECONDS: '3' });
  for (const hub of [capped, roomy, strict]) orgs.set(hub, (await organisationWithToken(hub.app, ['publish'])).organisation.id);
  await Promise.all([
    buildPathologicalRepo(join(server.root, 'stadt/deltas-ohne-filter.git'), { files: 40, allowFilter: false }),
    buildPathologicalRepo(join(server.root, 'stadt/deltas-mit-filter.git'), { files: 40 }),
    buildPathologicalRepo(join(server.root, 'stadt/deltas-gross.git'), { files: 80, allowFilter: false }),
  ]);
}, 180_000);
afterAll(async () => {
  await Promise.all([capped, roomy, strict].map((hub) => hub?.close()));
  await server?.close();
});

const idle = (hub: TestHub) => (hub.deps.hub.queue as InProcessQueue).idle();
const crawlNew = async (hub: TestHub, name: string) => {
  const repo = await register(hub.app, server.repoUrl(name), orgs.get(hub)!);
  await idle(hub);
  return repo;
};
const repository = async (hub: TestHub, id: string) => (await hub.app.inject(`/v1/repositories/${id}`)).json();
const software = async (hub: TestHub, id: string) => (await hub.app.inject(`/v1/software/${id}`)).json();
const fetchesOf = (name: string) => server.requests.filter((r) => r.startsWith(`POST /${name}.git/git-upload-pack (fetch)`)).length;
const job = (attempt: number, maxAttempts = 5) => ({ attempt, maxAttempts, signal: AbortSignal.timeout(60_000), updateProgress: async () => {} });

describe('bounded crawls', { timeout: 120_000 }, () => {
  it('fails a repository that inflates past the memory cap with crawl.memory_cap_exceeded, stores nothing and gives the memory back', async () => {
    const repo = await crawlNew(capped, 'stadt/deltas-ohne-filter');
    const state = await repository(capped, repo.id);
    expect(state.crawl.state).toBe('failed');
    expect(state.crawl.lastError).toMatch(/memory cap of 16 MiB .*\(crawl\.memory_cap_exceeded\)$/);
    expect(state.headCommit).toBeNull();
    expect((await software(capped, repo.softwareId)).readme).toBeNull();
    // A URL that never crawled and fails for good is paused at once (repository lifecycle); a manual
    // refresh resumes it and fails the same way, as a permanent failure that is not retried.
    expect(state.crawl.paused).toMatchObject({ reason: expect.any(String) });
    expect((await crawlRepository(capped.deps.hub, repo.id, job(1)))).toBe('skipped');
    const refresh = await capped.app.inject({ method: 'POST', url: `/v1/repositories/${repo.id}/crawl`, headers: admin });
    expect(refresh.statusCode).toBe(202);
    await idle(capped);
    expect((await repository(capped, repo.id)).crawl.lastError).toMatch(/crawl\.memory_cap_exceeded/);
    expect(crawlThreads(capped.deps.hub.config).heldBytes()).toBe(0);
  });

  it('crawls the same repository within the cap on a host with filters, asking for the files it reads only', async () => {
    const repo = await crawlNew(capped, 'stadt/deltas-mit-filter');
    const state = await repository(capped, repo.id);
    expect(state.crawl.state).toBe('succeeded');
    const entry = await software(capped, repo.softwareId);
    expect(entry.readme.markdown).toContain('# Viele Daten');
    expect(entry.licence).toBe('MIT');
    // The commit with its trees (no blob), then README and LICENSE by id.
    expect(fetchesOf('stadt/deltas-mit-filter')).toBe(2);
  });

  it('answers /health while a crawl inflates in its thread', async () => {
    const threads = crawlThreads(roomy.deps.hub.config);
    const repo = await register(roomy.app, server.repoUrl('stadt/deltas-gross'), orgs.get(roomy)!);
    let answeredDuringCrawl = 0;
    const done = idle(roomy).then(() => true);
    while (!(await Promise.race([done, Promise.resolve(false)]))) {
      const health = await roomy.app.inject('/health');
      expect(health.statusCode).toBe(200);
      // Memory is held only while the thread fetches and inflates: this answer came meanwhile.
      if (threads.heldBytes() > 0) answeredDuringCrawl += 1;
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect((await repository(roomy, repo.id)).crawl.state).toBe('succeeded');
    expect(answeredDuringCrawl).toBeGreaterThan(0);
    expect(threads.heldBytes()).toBe(0);
  });
});

describe('hostile hosts and READMEs', { timeout: 120_000 }, () => {
  /** A repository crawled once at full speed; then its host turns hostile. */
  async function crawledThenHostile(name: string, how: 'refs' | 'fetch') {
    const git = await server.createRepo(name, { 'README.md': '# Langsam\n\n' + 'Text. '.repeat(2000) });
    const repo = await crawlNew(strict, name);
    expect((await repository(strict, repo.id)).crawl.state).toBe('succeeded');
    await git.commit({ 'neu.txt': 'neu' });
    await git.push();
    server.dribbles.set(name, how);
    return repo;
  }

  it('stops a host that sends its clone one byte at a time, and gives up after the second attempt', async () => {
    const repo = await crawledThenHostile('stadt/tröpfelt', 'fetch');
    const first = await crawlRepository(strict.deps.hub, repo.id, job(1)).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(Error);
    expect(first).not.toBeInstanceOf(PermanentJobError);
    expect((await repository(strict, repo.id)).crawl).toMatchObject({ state: 'queued', lastError: expect.stringContaining('the host is too slow') });
    const second = await crawlRepository(strict.deps.hub, repo.id, job(2)).catch((e: unknown) => e);
    expect(second).toBeInstanceOf(PermanentJobError);
    expect((await repository(strict, repo.id)).crawl).toMatchObject({ state: 'failed', lastError: expect.stringMatching(/^the host is too slow: less than 1 KiB\/s/) });
  });

  it('stops a host that lists its refs one byte at a time after the refs time limit', async () => {
    const repo = await crawledThenHostile('stadt/zäh', 'refs');
    const error = await crawlRepository(strict.deps.hub, repo.id, job(2)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentJobError);
    expect((await repository(strict, repo.id)).crawl).toMatchObject({ state: 'failed', lastError: 'the host did not list its refs within 3 s' });
  });

  it('stores a README of 60,000 nested quotes as plain text with a reason, and the crawl succeeds', async () => {
    const text = `${'> '.repeat(60_000)}Zitat\n`;
    await server.createRepo('stadt/zitate', { 'README.md': text });
    const repo = await crawlNew(capped, 'stadt/zitate');
    const state = await repository(capped, repo.id);
    expect(state.crawl.state).toBe('succeeded');
    expect(state.crawl.lastError).toContain('README shown as plain text: the Markdown is nested too deeply to render');
    const readme = (await software(capped, repo.softwareId)).readme;
    expect(readme.markdown).toBe(text);
    expect(readme.html.startsWith('<pre>&gt; &gt; &gt; ')).toBe(true);
  });
});
