import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database';
import { admin, bearer, createTestHub, organisationWithToken, type TestHub } from '../helpers/hub';

const PUBLIC = 'https://hub.example.org/register';

describe('HUB_PUBLIC_URL set (behind a proxy, under a path)', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await createTestHub({ HUB_PUBLIC_URL: `${PUBLIC}/` });
  });
  afterAll(async () => hub?.close());

  it('a created organisation and software entry answer with an absolute Location under the public URL', async () => {
    const created = await hub.app.inject({ method: 'POST', url: '/v1/organisations', headers: admin, payload: { name: 'Proxystadt', kind: 'municipality' } });
    expect(created.statusCode).toBe(201);
    expect(created.headers.location).toBe(`${PUBLIC}/v1/organisations/${created.json().id}`);
    const publisher = await organisationWithToken(hub.app, ['publish']);
    const software = await hub.app.inject({
      method: 'POST',
      url: '/v1/software',
      headers: bearer(publisher.token),
      payload: { name: 'Proxysoftware', organisationId: publisher.organisation.id },
    });
    expect(software.statusCode).toBe(201);
    expect(software.headers.location).toBe(`${PUBLIC}/v1/software/${software.json().id}`);
    expect((await hub.app.inject(software.headers.location!.slice(PUBLIC.length))).json().id).toBe(software.json().id);
  });

  it('the OpenAPI document names the public URL as its server, so the docs UI and generated clients call it', async () => {
    expect((await hub.app.inject('/openapi.json')).json().servers).toEqual([{ url: PUBLIC }]);
  });
});

describe('HUB_PUBLIC_URL unset', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await createTestHub();
  });
  afterAll(async () => hub?.close());

  it('Location is a path, resolved by the client against the address it used', async () => {
    const created = await hub.app.inject({ method: 'POST', url: '/v1/organisations', headers: admin, payload: { name: 'Ohneproxy', kind: 'municipality' } });
    expect(created.headers.location).toBe(`/v1/organisations/${created.json().id}`);
  });

  it('the OpenAPI document names no server (clients use the address they fetched it from)', async () => {
    expect((await hub.app.inject('/openapi.json')).json().servers).toBeUndefined();
  });
});

describe('the start log line', () => {
  it('names the public URL of the docs when HUB_PUBLIC_URL is set', async () => {
    const database = await createTestDatabase();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      cwd: join(import.meta.dirname, '..', '..'),
      env: { PATH: process.env.PATH, DATABASE_URL: database.url, PORT: '0', HOST: '127.0.0.1', HUB_DEMO: 'false', HUB_PUBLIC_URL: PUBLIC, LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      let output = '';
      // 90 s: the start (tsx loading the modules, connecting, listening) took 17 s on a loaded 2-core machine.
      const ready = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ready line within 90 s:\n${output}`)), 90_000);
        child.stdout!.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          const line = output.split('\n').find((l) => l.includes('transferhub ready'));
          if (line) {
            clearTimeout(timer);
            resolve(line);
          }
        });
        child.on('exit', (code) => reject(new Error(`exited with ${code}:\n${output}`)));
      });
      expect(JSON.parse(ready).msg).toBe(`transferhub ready: ${PUBLIC}/ (API docs: ${PUBLIC}/docs)`);
    } finally {
      const exited = new Promise((resolve) => child.on('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      await database.drop();
    }
  }, 120_000);
});
