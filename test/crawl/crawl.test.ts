import { rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crawlRepository } from '../../src/domain/crawl/crawl.service';
import type { InProcessQueue } from '../../src/jobs/in-process-queue';
import { PermanentJobError } from '../../src/jobs/contract';
import { startGitServer, type GitServer } from '../helpers/git-server';
import { admin, createTestHub, organisationWithToken, type TestHub } from '../helpers/hub';
import { EUPL, INVALID_PUBLICCODE, MIT, randomBlob, register, VALID_PUBLICCODE } from './crawl-fixtures';

let hub: TestHub;
let server: GitServer;
let organisationId: string;

beforeAll(async () => {
  server = await startGitServer();
  // 64 KiB blob limit so "large" files stay small enough for a fast test.
  hub = await createTestHub({ HUB_CRAWL_MAX_BLOB_KB: '64' });
  organisationId = (await organisationWithToken(hub.app, ['publish'])).organisation.id;
});
afterAll(async () => {
  await hub?.close();
  await server?.close();
});

const idle = () => (hub.deps.hub.queue as InProcessQueue).idle();

async function crawlNew(name: string) {
  const repo = await register(hub.app, server.repoUrl(name), organisationId);
  await idle();
  return repo;
}
const getRepository = async (id: string) => (await hub.app.inject(`/v1/repositories/${id}`)).json();
const getSoftware = async (id: string) => (await hub.app.inject(`/v1/software/${id}`)).json();
/** Every release, following the pages. */
async function getReleases(id: string) {
  const items = [];
  let cursor: string | null = null;
  do {
    const page: { items: unknown[]; nextCursor: string | null } = (await hub.app.inject(`/v1/software/${id}/releases?limit=100${cursor ? `&cursor=${cursor}` : ''}`)).json();
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items as { version: string; date: string }[];
}
const uploadPacks = () => server.requests.filter((r) => r.endsWith('git-upload-pack (fetch)')).length;
const job = (attempt = 1, maxAttempts = 5) => ({ attempt, maxAttempts, signal: AbortSignal.timeout(20_000), updateProgress: async () => {} });

describe('crawling a repository over smart HTTP', { timeout: 60_000 }, () => {
  it('reads a README with umlauts and CRLF line ends; relative images on a plain git host become their alt text', async () => {
    await server.createRepo('stadt-ulm/mängelmelder', {
      'README.md': '# Mängelmelder für Bürger\r\n\r\nSiehe [Übersicht](docs/Übersicht.md) und ![Logo](bilder/Straße.png).\r\n<script>alert(1)</script>\r\n',
      'docs/Übersicht.md': 'Größe',
      'LICENSE': MIT,
    });
    const repo = await crawlNew('stadt-ulm/mängelmelder');
    const state = await getRepository(repo.id);
    expect(state.crawl.state).toBe('succeeded');
    expect(state.headCommit).toMatch(/^[0-9a-f]{40}$/);
    expect(state.defaultBranch).toBe('main');
    const software = await getSoftware(repo.softwareId);
    expect(software.readme.markdown).toContain('# Mängelmelder für Bürger\n');
    expect(software.readme.markdown).not.toContain('\r');
    // A plain git host serves no files: no link or image URL that would answer 404, and the reason recorded.
    expect(software.readme.html).toContain('<a>Übersicht</a>');
    expect(software.readme.html).toContain('class="readme-image-unavailable" title="Image bilder/Straße.png: the host serves no files / Bild kann nicht angezeigt werden">Logo</span>');
    expect(software.readme.html).not.toContain(server.repoUrl('stadt-ulm'));
    expect(state.crawl.lastError).toContain('README: 1 image with a relative path cannot be shown (the host serves no files): bilder/Straße.png');
    expect(software.readme.html).not.toContain('<script');
    expect(software.licence).toBe('MIT');
  });

  it('crawls a server that speaks only protocol v0, with and without filters, and re-checks it without a clone', async () => {
    for (const [name, allowFilter] of [['stadt/alter-server', true], ['stadt/alter-server-ohne-filter', false]] as const) {
      const git = await server.createRepo(name, { 'README.md': '# Alter Server\n\nLäuft seit Jahren.', LICENSE: MIT }, { allowFilter });
      await git.tag('v0.9.0', { message: 'Vorversion', date: '2023-05-01T10:00:00+02:00' });
      await git.commit({ 'src/neu.ts': 'export {};' }, 'Neu', '2024-02-01T10:00:00+01:00');
      await git.tag('v1.0.0');
      await git.push();
      server.v0Only.add(name);
      const repo = await crawlNew(name);
      const state = await getRepository(repo.id);
      expect(state.crawl, name).toMatchObject({ state: 'succeeded' });
      const software = await getSoftware(repo.softwareId);
      expect(software.readme.markdown).toContain('Läuft seit Jahren.');
      expect(software.licence).toBe('MIT');
      const releases = (await getReleases(repo.softwareId)) as { version: string; date: string }[];
      expect(releases.map((r) => r.version)).toEqual(['1.0.0', '0.9.0']);
      expect(releases[1]!.date).toBe('2023-05-01T08:00:00.000Z');
      expect(server.requests).toContain(`POST /${name}.git/git-upload-pack (fetch)`);
      const fetches = uploadPacks();
      await hub.app.inject({ method: 'POST', url: `/v1/repositories/${repo.id}/crawl`, headers: admin });
      await idle();
      expect((await getRepository(repo.id)).crawl.state).toBe('unchanged');
      expect(uploadPacks()).toBe(fetches);
    }
  });

  it('reads a Latin-1 README and follows a README link into docs/, but no link out of the repository', async () => {
    await server.createRepo('stadt/latin1', { 'README.md': Buffer.from('# Straße für Bürger\n\nÄnderungen', 'latin1') });
    const latin = await crawlNew('stadt/latin1');
    expect((await getSoftware(latin.softwareId)).readme.markdown).toBe('# Straße für Bürger\n\nÄnderungen');

    const linked = await server.createRepo('stadt/verlinkt', { 'docs/intro.md': '# Echte Doku\n\nInhalt', 'intro.md': '# Falsch', 'docs/LICENSE': MIT });
    // README.md → docs/README.md → intro.md, which is docs/intro.md: a link resolves from its own folder.
    await symlink('intro.md', join(linked.workDir, 'docs', 'README.md'));
    await symlink('docs/README.md', join(linked.workDir, 'README.md'));
    await symlink('../../etc/passwd', join(linked.workDir, 'LICENSE'));
    await linked.commit({}, 'Verknüpfungen');
    await linked.push();
    const repo = await crawlNew('stadt/verlinkt');
    const software = await getSoftware(repo.softwareId);
    expect(software.readme.markdown).toBe('# Echte Doku\n\nInhalt');
    expect(software.licence).toBeNull();
  });

  it('fills the entry from a valid publiccode.yml and takes the licence from LICENSES/ alone', async () => {
    await server.createRepo('kreis/reuse-only', { 'README.md': '# x', 'LICENSES/EUPL-1.2.txt': EUPL, 'publiccode.yml': VALID_PUBLICCODE });
    const repo = await crawlNew('kreis/reuse-only');
    const software = await getSoftware(repo.softwareId);
    expect(software.licence).toBe('EUPL-1.2');
    expect(software.name).toBe('Mängelmelder');
    expect(software.description.de.short).toContain('Schäden');
    expect(software.publiccode.valid).toBe(true);
    expect((await getRepository(repo.id)).crawl.lastError).toBeNull();
  });

  it('keeps an entry whose publiccode.yml is invalid and says why in plain words', async () => {
    await server.createRepo('kreis/kaputt', { 'README.md': '# x', 'publiccode.yml': INVALID_PUBLICCODE });
    const repo = await crawlNew('kreis/kaputt');
    const state = await getRepository(repo.id);
    expect(state.crawl.state).toBe('succeeded');
    expect(state.crawl.lastError).toMatch(/^publiccode\.yml invalid: legal\.license/);
    const software = await getSoftware(repo.softwareId);
    expect(software.publiccode.valid).toBe(false);
    expect(software.publiccode.results.some((r: { key: string }) => r.key === 'legal.license')).toBe(true);
    // the licence declared in the invalid file is not an SPDX id and no licence file exists
    expect(software.licence).not.toBe('EUPL-1.2');
  });

  it('reports a repository without README and renders README.rst as preformatted text', async () => {
    await server.createRepo('stadt/ohne-readme', { 'main.py': 'print(1)\n' });
    const none = await crawlNew('stadt/ohne-readme');
    expect((await getRepository(none.id)).crawl.lastError).toContain('no README');
    expect((await getSoftware(none.softwareId)).readme).toBeNull();

    await server.createRepo('stadt/rst', { 'README.rst': 'Titel\n=====\n\n<b>fett</b> & mehr\n' });
    const rst = await crawlNew('stadt/rst');
    const software = await getSoftware(rst.softwareId);
    expect(software.readme.markdown).toContain('Titel\n=====');
    expect(software.readme.html).toBe('<pre>Titel\n=====\n\n&lt;b&gt;fett&lt;/b&gt; &amp; mehr\n</pre>');
  });

  it('turns 200 tags into releases, v-prefix stripped, newest semver first, dated by tag or commit', async () => {
    const repo = await server.createRepo('stadt/viele-tags', { 'README.md': '# Tags' });
    await repo.tagMany(
      Array.from({ length: 200 }, (_, i) =>
        i % 2 === 0 ? { name: `v1.${i}.0`, message: `Version 1.${i}.0`, date: '2024-05-02T10:00:00+02:00' } : { name: `1.${i}.0` },
      ),
    );
    await repo.push();
    const entry = await crawlNew('stadt/viele-tags');
    const releases = await getReleases(entry.softwareId);
    expect(releases).toHaveLength(200);
    expect(releases[0].version).toBe('1.199.0');
    expect(releases[0].date).toBe('2024-03-01T11:00:00.000Z'); // lightweight: the commit's date
    expect(releases.find((r: { version: string }) => r.version === '1.198.0')?.date).toBe('2024-05-02T08:00:00.000Z'); // annotated: the tagger's date
    expect((await getSoftware(entry.softwareId)).latestRelease.version).toBe('1.199.0');
  });

  it('skips a file over the blob limit without reading it, with and without host-side filters', async () => {
    for (const allowFilter of [true, false]) {
      const name = `stadt/gross-${allowFilter}`;
      await server.createRepo(name, { 'README.md': randomBlob(200 * 1024).toString('base64'), 'daten.bin': randomBlob(3 * 1024 * 1024), LICENSE: MIT }, { allowFilter });
      const repo = await crawlNew(name);
      const state = await getRepository(repo.id);
      expect(state.crawl.state).toBe('succeeded');
      expect(state.crawl.lastError).toContain('README skipped: larger than the limit of 64 KiB');
      expect((await getSoftware(repo.softwareId)).licence).toBe('MIT');
    }
  });

  it('makes no clone when nothing changed and ends as "unchanged"', async () => {
    await server.createRepo('stadt/ruhig', { 'README.md': '# Ruhig' });
    const repo = await crawlNew('stadt/ruhig');
    const before = await getRepository(repo.id);
    const packsBefore = uploadPacks();
    const again = await hub.app.inject({ method: 'POST', url: `/v1/repositories/${repo.id}/crawl`, headers: admin });
    expect(again.statusCode).toBe(202);
    await idle();
    const after = await getRepository(repo.id);
    expect(after.crawl.state).toBe('unchanged');
    expect(uploadPacks()).toBe(packsBefore);
    expect(after.crawl.lastSuccessAt).toBe(before.crawl.lastSuccessAt);
    expect(new Date(after.crawl.lastCheckedAt).getTime()).toBeGreaterThan(new Date(before.crawl.lastCheckedAt).getTime());
  });

  it('keeps the outcome of a crawl that finished before the refresh request returned', async () => {
    await server.createRepo('stadt/schnell', { 'README.md': '# Schnell' });
    const repo = await crawlNew('stadt/schnell');
    // A worker as fast as possible: the job has run by the time enqueue returns.
    const queue = hub.deps.hub.queue as InProcessQueue;
    const enqueue = queue.enqueue.bind(queue);
    queue.enqueue = (async (...args: Parameters<typeof enqueue>) => {
      const queued = await enqueue(...args);
      await queue.idle();
      return queued;
    }) as typeof queue.enqueue;
    try {
      const again = await hub.app.inject({ method: 'POST', url: `/v1/repositories/${repo.id}/crawl`, headers: admin });
      expect(again.statusCode).toBe(202);
      expect((again.json() as { crawl: { state: string } }).crawl.state).toBe('unchanged');
      expect((await getRepository(repo.id)).crawl.state).toBe('unchanged');
    } finally {
      queue.enqueue = enqueue;
    }
  });

  it('adds new tags on a re-crawl without touching a release a pipeline pushed with notes', async () => {
    const git = await server.createRepo('stadt/mit-pipeline', { 'README.md': '# P' });
    await git.tag('v1.0.0');
    await git.push();
    const repo = await crawlNew('stadt/mit-pipeline');
    const pushed = await hub.app.inject({
      method: 'POST',
      url: `/v1/software/${repo.softwareId}/releases`,
      headers: admin,
      payload: { version: '2.0.0', notes: 'Aus der Pipeline', date: '2024-06-01T00:00:00Z' },
    });
    expect(pushed.statusCode).toBe(201);
    await git.tag('v2.0.0');
    await git.tag('v2.1.0');
    await git.push();
    await hub.app.inject({ method: 'POST', url: `/v1/repositories/${repo.id}/crawl`, headers: admin });
    await idle();
    const releases = await getReleases(repo.softwareId);
    expect(releases.map((r: { version: string }) => r.version)).toEqual(['2.1.0', '2.0.0', '1.0.0']);
    expect(releases[1]).toMatchObject({ notes: 'Aus der Pipeline', source: 'api' });
  });

  it('follows a renamed repository and keeps the old URL as an alias', async () => {
    await server.createRepo('stadt/neuer-name', { 'README.md': '# Neu' });
    const repo = await register(hub.app, server.repoUrl('stadt/alter-name'), organisationId);
    server.renames.set('stadt/alter-name', 'stadt/neuer-name');
    await idle();
    const state = await getRepository(repo.id);
    expect(state.crawl.state).toBe('succeeded');
    expect(state.url).toBe(server.repoUrl('stadt/neuer-name'));
    expect(state.aliases).toContain(server.repoUrl('stadt/alter-name'));
  });

  it('marks a repository that disappeared as failed (HTTP 404) and keeps its entry', async () => {
    const git = await server.createRepo('stadt/verschwindet', { 'README.md': '# Bald weg' });
    const repo = await crawlNew('stadt/verschwindet');
    await rm(git.bareDir, { recursive: true, force: true });
    await expect(crawlRepository(hub.deps.hub, repo.id, job())).rejects.toBeInstanceOf(PermanentJobError);
    const state = await getRepository(repo.id);
    expect(state.crawl.state).toBe('failed');
    expect(state.crawl.lastError).toBe('repository not found (HTTP 404)');
    const software = await getSoftware(repo.softwareId);
    expect(software.readme.markdown).toBe('# Bald weg');
    expect(software.active).toBe(true);
  });

  it('retries a server error and fails only after the last attempt', async () => {
    await server.createRepo('stadt/wackelt', { 'README.md': '# W' });
    const flaky = await crawlNew('stadt/wackelt');
    server.failures.set('stadt/wackelt', 503);
    const error = await crawlRepository(hub.deps.hub, flaky.id, job(1, 5)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(PermanentJobError);
    expect((await getRepository(flaky.id)).crawl).toMatchObject({ state: 'queued', lastError: expect.stringContaining('HTTP 503') });
    await crawlRepository(hub.deps.hub, flaky.id, job(5, 5)).catch(() => {});
    expect((await getRepository(flaky.id)).crawl.state).toBe('failed');
    server.failures.delete('stadt/wackelt');
    expect(await crawlRepository(hub.deps.hub, flaky.id, job())).toBe('unchanged');
  });

  it('crawls the same commit twice without duplicating releases', async () => {
    const git = await server.createRepo('stadt/zweimal', { 'README.md': '# Z' });
    await git.tag('v0.1.0');
    await git.tag('0.1.0');
    await git.push();
    const repo = await crawlNew('stadt/zweimal');
    // Forget what the crawl saw, as a retry after a crash before commit would.
    await hub.deps.database.db.execute(`update repository set head_commit = null, tags_fingerprint = null where id = '${repo.id}'` as never);
    expect(await crawlRepository(hub.deps.hub, repo.id, job())).toBe('succeeded');
    expect(await getReleases(repo.softwareId)).toHaveLength(1);
  });
});
