import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertCrawledReleases } from '../../src/db/queries/releases.queries';
import type { InProcessQueue } from '../../src/jobs/in-process-queue';
import { startGitServer, type GitServer } from '../helpers/git-server';
import { bearer, createTestHub, organisationWithToken, type TestHub } from '../helpers/hub';
import { MIT, register } from './crawl-fixtures';

let hub: TestHub;
let server: GitServer;
let organisationId: string;
let token: string;

beforeAll(async () => {
  server = await startGitServer();
  hub = await createTestHub();
  ({ organisation: { id: organisationId }, token } = await organisationWithToken(hub.app, ['publish']));
});
afterAll(async () => {
  await hub?.close();
  await server?.close();
});

const idle = () => (hub.deps.hub.queue as InProcessQueue).idle();
type Release = { version: string; notes: string | null; source: string };
const releasesOf = async (softwareId: string): Promise<Release[]> => (await hub.app.inject(`/v1/software/${softwareId}/releases`)).json().items;

const NOTES = 'Neu in 1.2.0:\n\n- Kartenansicht für Mängel\n- Export als CSV (Straßenverzeichnis)';
const SIGNATURE = '-----BEGIN PGP SIGNATURE-----\n\niQEzBAABCAAdFiEE\n=abcd\n-----END PGP SIGNATURE-----\n';

describe('release notes from annotated tags', { timeout: 60_000 }, () => {
  it('a crawl stores the message of an annotated tag as its release notes, without a signature; lightweight tags and messages that only repeat the version have none', async () => {
    const git = await server.createRepo('stadt/notizen', { 'README.md': '# Notizen', LICENSE: MIT });
    await git.tag('v1.0.0');
    await git.tag('v1.1.0', { message: 'v1.1.0' });
    await git.commit({ 'karte.ts': 'export {};' }, 'Karte');
    await git.tag('v1.2.0', { message: NOTES, date: '2024-04-02T10:00:00+02:00' });
    await git.tagMany([{ name: 'v1.3.0', message: `Signiert\n\nMit Unterschrift.\n${SIGNATURE}` }]);
    await git.push();
    const repo = await register(hub.app, server.repoUrl('stadt/notizen'), organisationId);
    await idle();
    const notes = Object.fromEntries((await releasesOf(repo.softwareId)).map((r) => [r.version, r.notes]));
    expect(notes).toEqual({ '1.3.0': 'Signiert\n\nMit Unterschrift.', '1.2.0': NOTES, '1.1.0': null, '1.0.0': null });
  });

  it('notes a CI pipeline pushed win over the tag message; a push without notes keeps the tag message', async () => {
    const git = await server.createRepo('stadt/vorrang', { 'README.md': '# Vorrang' });
    await git.tag('v2.0.0', { message: 'Aus dem Tag' });
    await git.tag('v2.1.0', { message: 'Auch aus dem Tag' });
    await git.push();
    const repo = await register(hub.app, server.repoUrl('stadt/vorrang'), organisationId);
    await idle();
    const push = (payload: Record<string, unknown>) =>
      hub.app.inject({ method: 'POST', url: `/v1/software/${repo.softwareId}/releases`, headers: bearer(token), payload });
    expect((await push({ version: 'v2.0.0', notes: 'Aus der Pipeline' })).statusCode).toBe(200);
    expect((await push({ version: 'v2.1.0' })).statusCode).toBe(200);
    const notes = Object.fromEntries((await releasesOf(repo.softwareId)).map((r) => [r.version, r.notes]));
    expect(notes).toEqual({ '2.1.0': 'Auch aus dem Tag', '2.0.0': 'Aus der Pipeline' });
  });
});

describe('tags that are not versions', { timeout: 60_000 }, () => {
  it('are not made releases, and the crawl says how many it left out', async () => {
    const git = await server.createRepo('stadt/markup', { 'README.md': '# Markup', LICENSE: MIT });
    await git.tagMany([
      { name: 'v1.0.0' },
      { name: '2024.03' },
      { name: 'v2.0.0<img/src=x/onerror=alert(1)>' },
      { name: '<script>alert(1)</script>' },
      { name: 'stable' },
      { name: 'release-candidate' },
    ]);
    await git.push();
    const repo = await register(hub.app, server.repoUrl('stadt/markup'), organisationId);
    await idle();
    expect((await releasesOf(repo.softwareId)).map((r) => r.version)).toEqual(['1.0.0', '2024.03']);
    const crawl = (await hub.app.inject(`/v1/repositories/${repo.id}`)).json().crawl;
    expect(crawl.state).toBe('succeeded');
    expect(crawl.lastError).toContain('4 tags are not version numbers and were not taken as releases');
    expect(crawl.lastError).toContain('"stable"');
    expect(crawl.lastError).not.toContain('<');
  });

  it('a release an older hub made from such a tag is removed by the next crawl that sees a change', async () => {
    const git = await server.createRepo('stadt/altlast', { 'README.md': '# Altlast' });
    await git.tag('v1.0.0');
    await git.push();
    const repo = await register(hub.app, server.repoUrl('stadt/altlast'), organisationId);
    await idle();
    await insertCrawledReleases(hub.deps.hub.db, [{ softwareId: repo.softwareId, version: '<b>stabil</b>', source: 'crawl', releasedAt: new Date() }]);
    await git.tag('v1.1.0');
    await git.push();
    await hub.app.inject({ method: 'POST', url: `/v1/repositories/${repo.id}/crawl`, headers: bearer(token) });
    await idle();
    expect((await releasesOf(repo.softwareId)).map((r) => r.version)).toEqual(['1.1.0', '1.0.0']);
  });
});
