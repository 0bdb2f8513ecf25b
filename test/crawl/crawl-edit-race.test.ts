import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InProcessQueue } from '../../src/jobs/in-process-queue';
import { startGitServer, type GitServer } from '../helpers/git-server';
import { bearer, createTestHub, organisationWithToken, type TestHub } from '../helpers/hub';
import { until } from '../helpers/worker-process';
import { register } from './crawl-fixtures';

/**
 * A crawl reads the entry, then fetches releases and asks the forge (seconds on a slow host), then
 * writes what it found. What the owner changed meanwhile and the crawl did not find must stay.
 */
describe('an owner edits the entry while its crawl runs', () => {
  let hub: TestHub;
  let git: GitServer;

  beforeAll(async () => {
    git = await startGitServer();
    hub = await createTestHub();
  });
  afterAll(async () => {
    await hub?.close();
    await git?.close();
  });

  it('the licence the owner set is kept when the repository has no licence file the crawl recognises', async () => {
    const owner = await organisationWithToken(hub.app, ['publish']);
    const fetchesOf = (name: string) => git.requests.filter((r) => r.includes(`/${name}.git/`) && r.endsWith('(fetch)')).length;
    const create = async (name: string) => {
      const repo = await git.createRepo(name, { 'README.md': '# Parkraum\n\nFreie Parkplätze.' });
      await repo.tag('v1.0.0');
      await repo.commit({ 'CHANGELOG.md': 'weiter' }, 'Weiter');
      await repo.push();
    };
    // The same repository crawled undisturbed: its last clone fetches the release's commit.
    await create('stadt/vorbild');
    await register(hub.app, git.repoUrl('stadt/vorbild'), owner.organisation.id);
    await (hub.deps.hub.queue as InProcessQueue).idle();
    const clones = fetchesOf('stadt/vorbild');
    expect(clones).toBeGreaterThanOrEqual(2);

    const name = 'stadt/ohne-lizenzdatei';
    await create(name);
    // The content's clones are answered; the release's is held, after the crawl has read the entry.
    git.laterStalls.set(name, clones);
    const registered = await register(hub.app, git.repoUrl(name), owner.organisation.id);
    await until(async () => fetchesOf(name), (n) => n >= clones, 'the crawl to fetch its release');

    const edited = await hub.app.inject({ method: 'PATCH', url: `/v1/software/${registered.softwareId}`, headers: bearer(owner.token), payload: { licence: 'EUPL-1.2' } });
    expect(edited.statusCode, edited.body).toBe(200);
    git.releaseStall(name);
    await (hub.deps.hub.queue as InProcessQueue).idle();

    const repository = (await hub.app.inject(`/v1/repositories/${registered.id}`)).json();
    expect(repository.crawl.state).toBe('succeeded');
    const software = (await hub.app.inject(`/v1/software/${registered.softwareId}`)).json();
    expect(software.licence).toBe('EUPL-1.2');
    const releases = (await hub.app.inject(`/v1/software/${registered.softwareId}/releases`)).json().items;
    expect(releases.map((r: { version: string }) => r.version)).toEqual(['1.0.0']);
  });
});
