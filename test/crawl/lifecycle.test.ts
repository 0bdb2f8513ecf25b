import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crawlRepository, FAILURES_BEFORE_PAUSE } from '../../src/domain/crawl/crawl.service';
import { fanOutCrawls } from '../../src/domain/crawl/schedule.service';
import type { InProcessQueue } from '../../src/jobs/in-process-queue';
import { startGitServer, type GitServer } from '../helpers/git-server';
import { admin, bearer, createTestHub, organisationWithToken, type TestHub } from '../helpers/hub';
import { expectProblem, queryDatabase } from '../http/fixtures';
import { MIT, VALID_PUBLICCODE } from './crawl-fixtures';

/*
 * The life of a registered repository: listed once it is known to be software, removable by its
 * owner, quiet while its software is deactivated, and no longer retried for ever when it fails.
 */
let hub: TestHub;
let server: GitServer;
let owner: { organisation: { id: string; slug: string }; token: string };

beforeAll(async () => {
  server = await startGitServer();
  hub = await createTestHub();
  owner = await organisationWithToken(hub.app, ['publish']);
});
afterAll(async () => {
  await hub?.close();
  await server?.close();
});

const idle = () => (hub.deps.hub.queue as InProcessQueue).idle();
const finalAttempt = () => ({ attempt: 5, maxAttempts: 5, signal: AbortSignal.timeout(20_000), updateProgress: async () => {} });
const getRepository = async (id: string) => (await hub.app.inject(`/v1/repositories/${id}`)).json();
const getSoftware = async (id: string) => (await hub.app.inject(`/v1/software/${id}`)).json();
/** The repositories the scheduled refresh would queue now (recorded, not run: it spreads them over hours). */
async function scheduledIds() {
  const queued: string[] = [];
  const recorder = {
    ...hub.deps.hub.queue,
    enqueueBulk: async (_contract: unknown, jobs: { payload: { repositoryId: string } }[]) => {
      queued.push(...jobs.map((job) => job.payload.repositoryId));
    },
  } as unknown as typeof hub.deps.hub.queue;
  await fanOutCrawls({ ...hub.deps.hub, queue: recorder }, `round-${queued.length}-${Date.now()}`);
  return queued;
}
const listedIds = async (query = '') =>
  ((await hub.app.inject(`/v1/software?organisation=${owner.organisation.id}&limit=100${query}`)).json().items as { id: string }[]).map((s) => s.id);

async function register(url: string, token = owner.token) {
  const response = await hub.app.inject({ method: 'POST', url: '/v1/repositories', headers: bearer(token), payload: { url, organisationId: owner.organisation.id } });
  expect(response.statusCode, response.body).toBe(202);
  return response.json() as { id: string; softwareId: string };
}

async function crawled(name: string, files: Record<string, string> = { 'README.md': `# ${name}\n\nEin Werkzeug.`, LICENSE: MIT }) {
  await server.createRepo(name, files);
  const repo = await register(server.repoUrl(name));
  await idle();
  return repo;
}

describe('a registered URL becomes a catalogue entry', { timeout: 60_000 }, () => {
  it('only after its first successful crawl: a URL that does not exist is never listed nor found', async () => {
    const missing = await register(server.repoUrl('stadt/gibt-es-nicht'));
    await idle();
    expect((await getRepository(missing.id)).crawl.state).toBe('failed');
    expect(await listedIds()).not.toContain(missing.softwareId);
    const search = (await hub.app.inject('/v1/software?q=gibt-es-nicht')).json();
    expect(search.items.map((s: { id: string }) => s.id)).not.toContain(missing.softwareId);
    // Its own link still answers, saying it is not listed.
    expect(await getSoftware(missing.softwareId)).toMatchObject({ listed: false, crawlState: 'failed' });

    const real = await crawled('stadt/parkraum-lifecycle');
    expect(await getSoftware(real.softwareId)).toMatchObject({ listed: true, crawlState: 'succeeded' });
    expect(await listedIds()).toContain(real.softwareId);
    expect((await hub.app.inject('/v1/software?q=parkraum-lifecycle')).json().items.map((s: { id: string }) => s.id)).toContain(real.softwareId);
  });

  it('or once its owner describes it, before any crawl succeeded', async () => {
    const missing = await register(server.repoUrl('stadt/beschrieben-ohne-crawl'));
    await idle();
    expect(await listedIds()).not.toContain(missing.softwareId);
    const described = await hub.app.inject({
      method: 'PATCH',
      url: `/v1/software/${missing.softwareId}`,
      headers: bearer(owner.token),
      payload: { shortDescription: { de: 'Beschreibt die Stadt selbst.' } },
    });
    expect(described.statusCode, described.body).toBe(200);
    expect(described.json().listed).toBe(true);
    expect(await listedIds()).toContain(missing.softwareId);
  });
});

describe('removing a repository', { timeout: 60_000 }, () => {
  it('another organisation gets 403, the owner 204; the repository is gone and the removal is audited', async () => {
    const repo = await crawled('stadt/entfernen');
    const other = await organisationWithToken(hub.app, ['publish']);
    expectProblem(await hub.app.inject({ method: 'DELETE', url: `/v1/repositories/${repo.id}`, headers: bearer(other.token) }), 403);
    expectProblem(await hub.app.inject({ method: 'DELETE', url: `/v1/repositories/${repo.id}` }), 401);

    const removed = await hub.app.inject({ method: 'DELETE', url: `/v1/repositories/${repo.id}`, headers: bearer(owner.token) });
    expect(removed.statusCode, removed.body).toBe(204);
    expectProblem(await hub.app.inject(`/v1/repositories/${repo.id}`), 404);
    expectProblem(await hub.app.inject({ method: 'DELETE', url: `/v1/repositories/${repo.id}`, headers: bearer(owner.token) }), 404);
    const events = await queryDatabase<{ action: string }>(hub, 'select action from audit_event where entity_id = $1 order by at', [repo.id]);
    expect(events.map((e) => e.action)).toEqual(['repository.register', 'repository.delete']);
    // A listed entry keeps what was crawled; it no longer names the repository.
    expect(await getSoftware(repo.softwareId)).toMatchObject({ listed: true, active: true, repositories: [], crawlState: null });
  });

  it('a crawl queued before the removal does nothing, and an entry only the registration made goes with it', async () => {
    await server.createRepo('stadt/zu-spaet', { 'README.md': '# Zu spät', LICENSE: MIT });
    const repo = await register(server.repoUrl('stadt/zu-spaet'));
    await idle();
    // Back to before the first crawl: registered, unlisted, a job still waiting.
    await queryDatabase(hub, `update software set listed = false, readme_markdown = null where id = $1`, [repo.softwareId]);
    expect((await hub.app.inject({ method: 'DELETE', url: `/v1/repositories/${repo.id}`, headers: admin })).statusCode).toBe(204);
    const before = server.requests.length;
    expect(await crawlRepository(hub.deps.hub, repo.id, finalAttempt())).toBe('skipped');
    expect(server.requests.length).toBe(before);
    expect(await getSoftware(repo.softwareId)).toMatchObject({ listed: false, active: false, readme: null });
  });
});

describe('deactivated software', { timeout: 60_000 }, () => {
  it('stops the crawls of its repositories until it is reactivated', async () => {
    const repo = await crawled('stadt/stillgelegt');
    const deactivated = await hub.app.inject({ method: 'DELETE', url: `/v1/software/${repo.softwareId}`, headers: bearer(owner.token) });
    expect(deactivated.statusCode).toBe(204);
    expect((await getRepository(repo.id)).crawl.paused).toMatchObject({ reason: 'software-inactive' });

    expect(await scheduledIds()).not.toContain(repo.id);
    const refresh = await hub.app.inject({ method: 'POST', url: `/v1/repositories/${repo.id}/crawl`, headers: bearer(owner.token) });
    expectProblem(refresh, 409);
    expect(refresh.json().type).toMatch(/repository\.software-inactive$/);

    await hub.app.inject({ method: 'PATCH', url: `/v1/software/${repo.softwareId}`, headers: bearer(owner.token), payload: { active: true } });
    expect((await getRepository(repo.id)).crawl.paused).toBeNull();
    expect((await hub.app.inject({ method: 'POST', url: `/v1/repositories/${repo.id}/crawl`, headers: bearer(owner.token) })).statusCode).toBe(202);
    await idle();
  });
});

describe('a repository that keeps failing', { timeout: 60_000 }, () => {
  it(`stops being retried after ${FAILURES_BEFORE_PAUSE} failed crawls in a row, says so, and resumes on a manual refresh`, async () => {
    const repo = await crawled('stadt/wackelig');
    expect(await scheduledIds()).toContain(repo.id);
    server.failures.set('stadt/wackelig', 503);
    for (let crawl = 1; crawl <= FAILURES_BEFORE_PAUSE; crawl++) {
      await expect(crawlRepository(hub.deps.hub, repo.id, finalAttempt())).rejects.toThrow();
      const state = (await getRepository(repo.id)).crawl;
      expect(state).toMatchObject({ state: 'failed', consecutiveFailures: crawl });
      expect(state.paused === null, `after crawl ${crawl}`).toBe(crawl < FAILURES_BEFORE_PAUSE);
    }
    expect((await getRepository(repo.id)).crawl.paused).toMatchObject({ reason: 'repeated-failures', message: expect.stringMatching(/manual refresh/) });
    // Still listed: it was software once, the failure is the host's.
    expect(await listedIds()).toContain(repo.softwareId);

    expect(await scheduledIds()).not.toContain(repo.id);
    expect(await crawlRepository(hub.deps.hub, repo.id, finalAttempt())).toBe('skipped');

    server.failures.delete('stadt/wackelig');
    const refresh = await hub.app.inject({ method: 'POST', url: `/v1/repositories/${repo.id}/crawl`, headers: bearer(owner.token) });
    expect(refresh.statusCode).toBe(202);
    await idle();
    expect((await getRepository(repo.id)).crawl).toMatchObject({ state: 'unchanged', paused: null, consecutiveFailures: 0 });
  });

  it('a URL that never worked and fails for good (not found) is paused at once', async () => {
    const missing = await register(server.repoUrl('stadt/nie-da'));
    await idle();
    expect((await getRepository(missing.id)).crawl).toMatchObject({ state: 'failed', consecutiveFailures: 1, paused: { reason: 'repeated-failures' } });
  });
});

describe('listing repositories', { timeout: 60_000 }, () => {
  it('GET /v1/repositories pages in URL order and filters by organisation, host and crawl state', async () => {
    const other = await organisationWithToken(hub.app, ['publish']);
    await server.createRepo('liste/a', { 'README.md': '# a' });
    const a = await register(server.repoUrl('liste/a'));
    const b = await register(server.repoUrl('liste/fehlt'));
    // The same git server under another host name: a host of its own for the filter.
    const otherHost = server.repoUrl('liste/fremd').replace('127.0.0.1', 'localhost');
    const foreign = await hub.app.inject({ method: 'POST', url: '/v1/repositories', headers: bearer(other.token), payload: { url: otherHost, organisationId: other.organisation.id } });
    expect(foreign.statusCode, foreign.body).toBe(202);
    await idle();

    const ofOwner = (await hub.app.inject(`/v1/repositories?organisation=${owner.organisation.slug}&limit=100`)).json();
    const ids = ofOwner.items.map((r: { id: string }) => r.id);
    expect(ids).toEqual(expect.arrayContaining([a.id, b.id]));
    expect(ids).not.toContain(foreign.json().id);
    const urls = ofOwner.items.map((r: { url: string }) => r.url);
    expect(urls).toEqual([...urls].sort());

    const byHost = async (host: string) => (await hub.app.inject(`/v1/repositories?host=${host}&limit=100`)).json().items.map((r: { id: string }) => r.id);
    expect(await byHost(new URL(otherHost).host)).toEqual([foreign.json().id]);
    expect(await byHost(new URL(server.url).host)).toEqual(ids);
    expect(await byHost('git')).toEqual(expect.arrayContaining([...ids, foreign.json().id]));
    expect(await byHost('github')).toEqual([]);

    const failed = (await hub.app.inject(`/v1/repositories?organisation=${owner.organisation.id}&crawlState=failed&limit=100`)).json().items;
    expect(failed.map((r: { id: string }) => r.id)).toContain(b.id);
    expect(failed.every((r: { crawl: { state: string } }) => r.crawl.state === 'failed')).toBe(true);
    const paused = (await hub.app.inject(`/v1/repositories?organisation=${owner.organisation.id}&crawlState=paused&limit=100`)).json().items;
    expect(paused.map((r: { id: string }) => r.id)).toContain(b.id);
    expect(paused.map((r: { id: string }) => r.id)).not.toContain(a.id);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `/v1/repositories?organisation=${owner.organisation.id}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const pageOf = (await hub.app.inject(query)).json();
      seen.push(...pageOf.items.map((r: { id: string }) => r.id));
      cursor = pageOf.nextCursor;
    } while (cursor);
    expect(seen).toEqual(ids);
    expectProblem(await hub.app.inject('/v1/repositories?crawlState=kaputt'), 400);
  });
});

describe('a software entry at its top level', { timeout: 60_000 }, () => {
  it('shows its crawl state, repositories, reuse counts and the maintainers from publiccode.yml', async () => {
    const repo = await crawled('stadt/oben', { 'README.md': '# Oben', LICENSE: MIT, 'publiccode.yml': VALID_PUBLICCODE.replace('    - name: Stadt Ulm', '    - name: Stadt Ulm\n      email: it@ulm.de') });
    const reuser = await organisationWithToken(hub.app, ['reuse']);
    const reuse = await hub.app.inject({
      method: 'POST',
      url: `/v1/software/${repo.softwareId}/reuses`,
      headers: bearer(reuser.token),
      payload: { status: 'production' },
    });
    expect(reuse.statusCode, reuse.body).toBe(201);
    const software = await getSoftware(repo.softwareId);
    expect(software).toMatchObject({
      crawlState: 'succeeded',
      repositories: [{ id: repo.id, url: server.repoUrl('stadt/oben'), crawlState: 'succeeded', paused: null }],
      reuseCounts: { total: 1, production: 1, evaluating: 0, piloting: 0, retired: 0 },
      maintainers: { type: 'internal', contacts: [{ name: 'Stadt Ulm', email: 'it@ulm.de' }], contractors: [] },
    });
  });
});
