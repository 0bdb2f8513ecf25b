import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { githubListRepos, githubRepoFacts } from '../../src/git/forges/github';
import { gitlabListRepos, gitlabRepoFacts } from '../../src/git/forges/gitlab';
import { discoverOrganisation } from '../../src/domain/crawl/discover.service';
import { enrichFromForge } from '../../src/domain/crawl/forge-enrichment';
import type { InProcessQueue } from '../../src/jobs/in-process-queue';
import { startForgeServer, type ForgeServer } from '../helpers/forge-server';
import { admin, createTestHub, type TestHub } from '../helpers/hub';

let forge: ForgeServer;
beforeAll(async () => {
  forge = await startForgeServer();
});
afterAll(async () => forge?.close());

describe('GitHub enrichment through octokit', () => {
  const options = () => ({ baseUrl: forge.url, token: null });

  it('reads description, topics, stars, forks, archived and releases with notes and assets', async () => {
    const facts = await githubRepoFacts(options(), 'https://github.com/stadt-ulm/maengelmelder', null);
    expect(facts.etag).toBe('"etag-4711-v1"');
    expect(facts.value).toMatchObject({ description: 'Mängelmelder für Kommunen', topics: ['smart-city', 'open-source', 'kommune'], stars: 42, forks: 7, archived: false });
    expect(facts.value.releases[0]).toMatchObject({ tag: 'v1.2.0', notes: '## Neu\n- Fotos an Meldungen', assets: [{ name: 'maengelmelder-1.2.0.zip' }] });
  });

  it('sends the last ETag and keeps the cached facts when GitHub answers 304', async () => {
    const cached = { etag: '"etag-4711-v1"', value: { description: 'aus dem Cache', topics: [], stars: 1, forks: 0, archived: false, homepage: null, releases: [] } };
    const facts = await githubRepoFacts(options(), 'https://github.com/stadt-ulm/maengelmelder', cached);
    expect(facts).toBe(cached);
    expect(forge.requests.at(-1)?.headers['if-none-match']).toBe('"etag-4711-v1"');
  });

  it('waits out a rate-limit 403 until x-ratelimit-reset and then succeeds', async () => {
    forge.rateLimitNext(1);
    const before = forge.requests.length;
    const facts = await githubRepoFacts(options(), 'https://github.com/stadt-ulm/maengelmelder', null);
    expect(facts.value.stars).toBe(42);
    expect(forge.requests.length - before).toBe(3); // 403, retried repo, releases
  });

  it('lists an organisation\'s repositories across pages', async () => {
    const repos = await githubListRepos(options(), 'https://github.com/stadt-ulm');
    expect(repos.map((r) => r.url)).toEqual([
      'https://github.com/stadt-ulm/mit-publiccode',
      'https://github.com/stadt-ulm/ohne-publiccode',
      'https://github.com/stadt-ulm/archiviert',
    ]);
    expect(repos[2]!.archived).toBe(true);
  });
});

describe('GitLab API v4', () => {
  const options = () => ({ origin: forge.url, token: null, outbound: { allowPrivateHosts: true } });

  it('reads the project, its topics and releases', async () => {
    const facts = await gitlabRepoFacts(options(), `${forge.url}/stadt/ris`);
    expect(facts).toMatchObject({ description: 'Ratsinformationssystem', topics: ['ris', 'kommune'], stars: 5 });
    expect(facts.releases[0]).toMatchObject({ tag: 'v3.0.0', notes: 'Große Änderungen' });
  });

  it('lists a group with its subgroups, following x-next-page', async () => {
    const repos = await gitlabListRepos(options(), `${forge.url}/stadt`);
    expect(repos.map((r) => r.url)).toEqual(['https://gitlab.example/stadt/ris', 'https://gitlab.example/stadt/verkehr/ampel', 'https://gitlab.example/stadt/archiv-alt']);
    expect(forge.requests.filter((r) => r.path.includes('/groups/stadt/projects')).map((r) => new URL(r.path, forge.url).searchParams.get('page'))).toEqual(['1', '2']);
  });
});

describe('discovery and enrichment in the hub', { timeout: 60_000 }, () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await createTestHub({ GITHUB_API_URL: forge.url });
  });
  afterAll(async () => hub?.close());

  it('registers the public, non-archived repositories of a GitHub organisation that carry a publiccode.yml', async () => {
    const org = await hub.app.inject({
      method: 'POST',
      url: '/v1/organisations',
      headers: admin,
      payload: { name: 'Stadt Ulm Discover', kind: 'municipality', codeHosting: [{ url: 'https://github.com/stadt-ulm', kind: 'github' }] },
    });
    expect(org.statusCode).toBe(201);
    const queue = hub.deps.hub.queue as InProcessQueue;
    const enqueue = queue.enqueue.bind(queue);
    const crawls: unknown[] = [];
    // the registered crawls would reach github.com; count them instead of running them
    queue.enqueue = (async (contract, payload, options) => {
      if (contract.name === 'crawl-repository') {
        crawls.push(payload);
        return { jobId: 'x', deduplicated: false };
      }
      return enqueue(contract, payload, options);
    }) as typeof queue.enqueue;
    const result = await discoverOrganisation(hub.deps.hub, { organisationId: org.json().id, onlyWithPubliccode: true });
    expect(result).toEqual({ found: 2, registered: 1 });
    expect(crawls).toHaveLength(1);
    const again = await discoverOrganisation(hub.deps.hub, { organisationId: org.json().id, onlyWithPubliccode: false });
    expect(again).toEqual({ found: 2, registered: 1 });
  });

  it('enrichment failing never fails the crawl: it answers null', async () => {
    const facts = await enrichFromForge(hub.deps.hub, { url: 'https://github.com/stadt-ulm/weg', hostKind: 'github', previous: {} });
    expect(facts).toBeNull();
    const ok = await enrichFromForge(hub.deps.hub, { url: 'https://github.com/stadt-ulm/maengelmelder', hostKind: 'github', previous: {} });
    expect(ok?.releaseNotes['v1.2.0']).toContain('Fotos');
  });
});
