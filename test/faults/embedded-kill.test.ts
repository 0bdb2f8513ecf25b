import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGitServer, type GitServer } from '../helpers/git-server';
import { startHubProcess, waitForHttp, type HubProcess } from '../helpers/hub-process';
import { freePort } from '../helpers/postgres-cluster';
import { until } from '../helpers/worker-process';

const ADMIN = 'embedded-fault-admin-0123456789';

/**
 * Embedded mode (PGlite, jobs in the API process) killed with SIGKILL during a crawl: the
 * crawl must run again after the restart instead of showing "running" until the next refresh.
 */
describe('embedded mode killed during a crawl', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'transferhub-embedded-kill-'));
  let hub: HubProcess | null = null;
  let host: GitServer;
  const fetches = () => host.requests.filter((request) => request.startsWith('POST /stadt/haengt')).length;
  let env: Record<string, string>;
  let base: string;

  beforeAll(async () => {
    // A git host that lists the refs and then holds the fetch: the crawl stays "running" as long as we like.
    host = await startGitServer();
    await host.createRepo('stadt/haengt', { 'README.md': '# Hängt\n' });
    host.stalls.add('stadt/haengt');
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    env = { HUB_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', HUB_ADMIN_TOKEN: ADMIN, DATABASE_URL: '', REDIS_URL: '' };
  });

  afterAll(async () => {
    await hub?.stop();
    await host?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a crawl running when the process was killed runs again after the restart', async () => {
    hub = startHubProcess('src/server.ts', env);
    // PGlite's first start runs initdb and the migrations: slow on a busy 2-core machine.
    await waitForHttp(hub, `${base}/health`, 150_000);
    const headers = { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' };
    const org = await fetch(`${base}/v1/organisations`, { method: 'POST', headers, body: JSON.stringify({ name: 'Absturzstadt', kind: 'municipality' }) });
    const organisationId = ((await org.json()) as { id: string }).id;
    const registered = await fetch(`${base}/v1/repositories`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ url: host.repoUrl('stadt/haengt'), organisationId }),
    });
    expect(registered.status).toBe(202);
    const id = ((await registered.json()) as { id: string }).id;
    const state = async () => ((await (await fetch(`${base}/v1/repositories/${id}`)).json()) as { crawl: { state: string } }).crawl.state;
    await until(state, (s) => s === 'running', 'the crawl to start', 30_000);
    const before = fetches();

    hub.child.kill('SIGKILL');
    await until(async () => hub!.exit(), (exit) => exit !== null, 'the process to die', 10_000);

    hub = startHubProcess('src/server.ts', env);
    await waitForHttp(hub, `${base}/health`, 150_000);
    // Requeued at start: the host sees the crawl again.
    await until(async () => fetches(), (n) => n > before, 'the interrupted crawl to run again', 30_000);
    expect(await state()).toBe('running');
  }, 300_000);
});
