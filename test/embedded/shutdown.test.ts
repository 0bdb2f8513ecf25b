import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, startServer, type ServerProcess } from '../helpers/server-process';

// PGlite's start (initdb, migrations) takes seconds on a quiet machine, several times that under load.
const START_MS = 240_000;

/** A request in flight that never finishes: the headers promise a body that never comes. */
function hangingRequest(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(
        'POST /v1/organisations HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"name":',
        () => resolve(socket),
      );
    });
    socket.on('error', () => {});
    socket.once('error', reject);
  });
}

/** The exit code, or "still running" when the process has not exited after waitMs. */
function exitWithin(hub: ServerProcess, waitMs: number): Promise<number | null | 'still running'> {
  return Promise.race([hub.stop(), new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), waitMs))]);
}

describe('shutdown on SIGTERM', () => {
  const dataDirs: string[] = [];
  const hubs: ServerProcess[] = [];
  const sockets: Socket[] = [];
  afterAll(() => {
    for (const socket of sockets) socket.destroy();
    for (const hub of hubs) hub.kill();
    for (const dataDir of dataDirs) rmSync(dataDir, { recursive: true, force: true });
  });

  async function startWithHangingRequest(timeoutSeconds: string) {
    const port = await freePort();
    // A data folder each: PGlite's folder belongs to one process.
    const dataDir = mkdtempSync(join(tmpdir(), 'transferhub-shutdown-'));
    dataDirs.push(dataDir);
    const hub = startServer({
      env: { HUB_DATA_DIR: dataDir, PORT: String(port), HUB_ADMIN_TOKEN: 'shutdown-test-admin-token-0123', HUB_DEMO: 'false', LOG_LEVEL: 'info', HUB_SHUTDOWN_TIMEOUT_SECONDS: timeoutSeconds },
    });
    hubs.push(hub);
    await hub.waitFor(/transferhub ready/, START_MS);
    sockets.push(await hangingRequest(port));
    // The request reached Fastify (its body is being read) before the signal comes.
    await new Promise((resolve) => setTimeout(resolve, 300));
    return hub;
  }

  it('a request that never finishes does not keep the process alive: it exits with 1 after the deadline and says what it waited for', async () => {
    const hub = await startWithHangingRequest('2');
    // 2 s deadline; 30 s is a generous bound on a loaded machine, and far below "never".
    expect(await exitWithin(hub, 30_000)).toBe(1);
    const deadline = hub.output().split('\n').find((line) => line.includes('shutdown deadline'));
    expect(deadline, hub.output()).toMatch(/HTTP server/);
  }, START_MS + 60_000);

  it('a second SIGTERM exits at once, without waiting for the deadline', async () => {
    const hub = await startWithHangingRequest('3600');
    const first = exitWithin(hub, 30_000);
    await hub.waitFor(/shutting down/, 10_000);
    // The hub is still waiting for the request (deadline in an hour); the second signal ends it.
    expect(await exitWithin(hub, 30_000)).toBe(1);
    expect(await first).toBe(1);
    expect(hub.output()).toMatch(/second signal/);
  }, START_MS + 60_000);
});
