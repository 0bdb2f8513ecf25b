import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, startServer, type ServerProcess } from '../helpers/server-process';

// PGlite's first start (initdb, migrations, demo catalogue) takes 10 s on a quiet 2-core machine and
// several times that when other test files load it.
const START_MS = 240_000;
// Colour codes of the terminal output (ESC [ … m).
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

type LogLine = { level: number; msg: string };

function messages(output: string): LogLine[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);
}

async function patchSoftware(base: string, token: string | null) {
  const list = (await (await fetch(`${base}/v1/software?limit=1`)).json()) as { items: { id: string }[] };
  const id = list.items[0]!.id;
  return fetch(`${base}/v1/software/${id}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ categories: ['mobility'] }),
  });
}

describe('the quick start: npm start in a fresh data folder without HUB_ADMIN_TOKEN', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'transferhub-quick-start-'));
  const hubs: ServerProcess[] = [];
  afterAll(() => {
    for (const hub of hubs) hub.kill();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('logs each start step, prints a generated admin token once that can write, and keeps only its hash', async () => {
    const port = String(await freePort());
    const hub = startServer({ env: { HUB_DATA_DIR: dataDir, PORT: port, HUB_ADMIN_TOKEN: '', LOG_LEVEL: 'info' } });
    hubs.push(hub);
    await hub.waitFor(/transferhub ready/, START_MS);

    const lines = messages(hub.output());
    const order = [
      /^creating the embedded database in .* \(first start/,
      /^applying database migrations …$/,
      /^applying database migrations: done$/,
      /^loading the demo catalogue …$/,
      /^listening on 127\.0\.0\.1:\d+: done$/,
      /^writes: enabled for the admin token generated at the first start/,
      /^transferhub ready/,
    ].map((pattern) => lines.findIndex((line) => pattern.test(line.msg)));
    expect(order, hub.output()).not.toContain(-1);
    expect([...order].sort((a, b) => a - b)).toEqual(order);

    const notice = lines.find((line) => line.msg.startsWith('generated an admin token'));
    expect(notice?.level).toBe(40);
    const token = /thub_admin_[\w-]{43}/.exec(notice!.msg)![0];
    expect(notice!.msg).toContain(`Authorization: Bearer ${token}`);
    const stored = readFileSync(join(dataDir, 'transferhub-admin-token.sha256'), 'utf8');
    expect(stored).toMatch(/^[0-9a-f]{64}\n$/);
    expect(stored).not.toContain(token);

    expect((await patchSoftware(hub.base, null)).status).toBe(401);
    expect((await patchSoftware(hub.base, token)).status).toBe(200);
    // Embedded mode stays responsive after a write (it froze here once).
    expect((await fetch(`${hub.base}/v1/software?limit=1`)).status).toBe(200);
    expect(await hub.stop()).toBe(0);

    // The second start, on a terminal: readable lines instead of JSON, the token not shown again.
    const again = startServer({ env: { HUB_DATA_DIR: dataDir, PORT: port, HUB_ADMIN_TOKEN: '', LOG_LEVEL: 'info' }, tty: true });
    hubs.push(again);
    await again.waitFor(/transferhub ready/, START_MS);
    const text = again.output().replace(ANSI, '');
    expect(text).not.toContain('{"level"');
    expect(text).toMatch(/^\d\d:\d\d:\d\d INFO {2}opening the embedded database in /m);
    expect(text).toMatch(/^\d\d:\d\d:\d\d INFO {2}applying database migrations: done ms=\d+/m);
    expect(text).toMatch(/^\d\d:\d\d:\d\d INFO {2}writes: enabled for the admin token generated at the first start/m);
    expect(text).not.toContain('thub_admin_');
    expect((await patchSoftware(again.base, token)).status).toBe(200);
    expect(await again.stop()).toBe(0);
  }, 2 * START_MS + 60_000);
});
