import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';
import { ADMIN_TOKEN, createTestHub, type TestHub } from '../helpers/hub';
import { freePort } from '../helpers/postgres-cluster';

describe('transferhub peers', () => {
  it('refuses to start without the hub address and admin token, with exit code 2', async () => {
    const run = await runCli(['peers', 'list']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/TRANSFERHUB_URL is not set/);
    const noToken = await runCli(['peers', 'list'], { env: { TRANSFERHUB_URL: 'http://127.0.0.1:9' } });
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toMatch(/TRANSFERHUB_TOKEN is not set/);
  });

  it('names the quarantine decisions it knows when given another', async () => {
    const run = await runCli(['peers', 'quarantine', 'some-peer', 'approve', 'x'], { env: { TRANSFERHUB_URL: 'http://127.0.0.1:9', TRANSFERHUB_TOKEN: 't' } });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/release\|discard/);
  });

  it('reports an unreachable hub with exit code 6', async () => {
    const run = await runCli(['peers', 'sync', 'some-peer'], { env: { TRANSFERHUB_URL: 'http://127.0.0.1:9', TRANSFERHUB_TOKEN: 't' } });
    expect(run.code).toBe(6);
  });
});

describe('transferhub peers against a running hub', () => {
  const hubs: TestHub[] = [];
  afterAll(async () => {
    for (const hub of hubs) await hub.close();
  });

  async function listening() {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const hub = await createTestHub({ HUB_FEDERATION: 'true', HUB_PUBLIC_URL: url });
    hubs.push(hub);
    await hub.app.listen({ port, host: '127.0.0.1' });
    return url;
  }

  it('previews a peer, pins it with --yes, lists, pauses and queues a sync', async () => {
    const [a, b] = [await listening(), await listening()];
    const env = { TRANSFERHUB_URL: a, TRANSFERHUB_TOKEN: ADMIN_TOKEN };
    const preview = await runCli(['peers', 'add', b], { env });
    expect(preview.code, preview.stderr).toBe(0);
    expect(preview.stdout).toMatch(/--pin /);
    expect((await runCli(['peers', 'add', b, '--yes', '--scope', 'Bayern'], { env })).code).toBe(2);
    const added = await runCli(['peers', 'add', b, '--yes', '--scope', '09,08', '--json'], { env });
    expect(added.code, added.stderr).toBe(0);
    const id = JSON.parse(added.stdout).peer.id as string;
    const listed = JSON.parse((await runCli(['peers', 'list', '--json'], { env })).stdout);
    expect(JSON.stringify(listed)).toContain('"officialKeyPrefixes":["09","08"]');
    const list = await runCli(['peers', 'list'], { env });
    expect(list.stdout).toContain(`${id}\t${b}\tactive`);
    const paused = await runCli(['peers', 'pause', id], { env });
    expect(paused.stdout).toContain(`${b}: paused`);
    expect((await runCli(['peers', 'resume', id], { env })).stdout).toContain(`${b}: active`);
    expect((await runCli(['peers', 'sync', id], { env })).code).toBe(0);
    const refused = await runCli(['peers', 'list'], { env: { ...env, TRANSFERHUB_TOKEN: 'wrong-token-0123456789' } });
    expect(refused.code).toBe(3);
  });
});
