import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/server-process';

const ADMIN = 'embedded-admin-token-0123456789';

const children = new Set<ChildProcess>();

/** Starts `npm start`'s entry exactly as a user would, without DATABASE_URL or REDIS_URL. */
async function startHub(dataDir: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: { ...process.env, HUB_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', HUB_ADMIN_TOKEN: ADMIN, DATABASE_URL: '', REDIS_URL: '', LOG_LEVEL: 'warn', HUB_DEMO_CRAWL: 'false' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  // PGlite's first start runs initdb and the migrations (10 s on a quiet 2-core machine,
  // several times that when other test files load it); poll instead of guessing.
  for (let i = 0; i < 1500; i++) {
    if (child.exitCode !== null) throw new Error(`hub exited early with ${child.exitCode}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) return child;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error('hub did not become healthy within 150 s');
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

describe('embedded mode', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'transferhub-embedded-'));
  afterAll(() => {
    // A failed assertion must not leave a hub running (it would keep the test run alive).
    for (const child of children) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts with the demo catalogue, shuts down cleanly on SIGTERM, and finds its data after a restart', async () => {
    const port = await freePort();
    let hub = await startHub(dataDir, port);
    const base = `http://127.0.0.1:${port}`;

    const demo = (await (await fetch(`${base}/v1/organisations?programme=MPSC&limit=100`)).json()) as { items: unknown[] };
    expect(demo.items).toHaveLength(73);

    const created = await fetch(`${base}/v1/organisations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Neustadt an der Neuerung', kind: 'municipality', ags: '07337060', state: 'Rheinland-Pfalz' }),
    });
    expect(created.status).toBe(201);
    expect(await stop(hub)).toBe(0);

    hub = await startHub(dataDir, port);
    const found = await fetch(`${base}/v1/organisations/neustadt-an-der-neuerung`);
    expect(found.status).toBe(200);
    expect(((await found.json()) as { ags: string }).ags).toBe('07337060');
    const again = (await (await fetch(`${base}/v1/organisations?programme=MPSC&limit=100`)).json()) as { items: unknown[] };
    expect(again.items).toHaveLength(73);
    expect(await stop(hub)).toBe(0);
  }, 360_000);
});
