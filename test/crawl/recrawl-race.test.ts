import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InProcessQueue } from '../../src/jobs/in-process-queue';
import { startGitServer, type GitServer } from '../helpers/git-server';
import { admin, createTestHub, organisationWithToken, type TestHub } from '../helpers/hub';
import { MIT, register } from './crawl-fixtures';

let hub: TestHub;
let server: GitServer;
let organisationId: string;

beforeAll(async () => {
  server = await startGitServer();
  hub = await createTestHub();
  organisationId = (await organisationWithToken(hub.app, ['publish'])).organisation.id;
});
afterAll(async () => {
  await hub?.close();
  await server?.close();
});

const idle = () => (hub.deps.hub.queue as InProcessQueue).idle();
const getRepository = async (id: string) => (await hub.app.inject(`/v1/repositories/${id}`)).json();
const refresh = (id: string) => hub.app.inject({ method: 'POST', url: `/v1/repositories/${id}/crawl`, headers: admin });

async function until(check: () => Promise<boolean>, what: string) {
  // Polls at 20 ms for at most 15 s: the crawl reaches the stalled clone within milliseconds.
  for (let i = 0; i < 750; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('a refresh requested while a crawl runs', { timeout: 60_000 }, () => {
  it('reports what happened: the running crawl took the new tag, so the state is "succeeded", not "unchanged"', async () => {
    const name = 'stadt/wettlauf';
    const git = await server.createRepo(name, { 'README.md': '# Wettlauf', LICENSE: MIT });
    await git.tag('v1.1.0');
    await git.push();
    const repo = await register(hub.app, server.repoUrl(name), organisationId);
    await idle();
    expect((await getRepository(repo.id)).crawl.state).toBe('succeeded');

    // Release 1.2.0 is tagged; a first refresh (or a webhook) starts a crawl that sees it and is held at its clone.
    await git.commit({ 'CHANGELOG.md': '1.2.0' }, 'Version 1.2.0');
    await git.tag('v1.2.0');
    await git.push();
    server.stalls.add(name);
    expect((await refresh(repo.id)).statusCode).toBe(202);
    await until(async () => (await getRepository(repo.id)).crawl.state === 'running', 'the crawl to run');

    // The user asks again while it runs: the request is kept for after the running crawl.
    const second = await refresh(repo.id);
    expect(second.json()).toMatchObject({ deduplicated: true });
    server.releaseStall(name);
    await idle();

    const releases = (await hub.app.inject(`/v1/software/${repo.softwareId}/releases`)).json().items.map((r: { version: string }) => r.version);
    expect(releases).toEqual(['1.2.0', '1.1.0']);
    const state = (await getRepository(repo.id)).crawl;
    expect(state.state).toBe('succeeded');
    expect(state.lastCheckedAt >= state.lastSuccessAt).toBe(true);

    // A refresh asked after that crawl finished finds nothing new, and says so.
    await refresh(repo.id);
    await idle();
    expect((await getRepository(repo.id)).crawl.state).toBe('unchanged');
  });
});
