import { execFile } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const BIN = '/usr/lib/postgresql/15/bin';

/** A TCP port nobody listens on right now (the kernel picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject).listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export type PostgresCluster = {
  port: number;
  /** postgres://…/<database> on this cluster. */
  url(database: string): string;
  stop(mode: 'fast' | 'immediate'): Promise<void>;
  start(): Promise<void>;
  /** Stops the cluster (if running) and removes its directory. */
  destroy(): Promise<void>;
};

/** PostgreSQL refuses to run as root: every cluster command runs as the `postgres` user. */
async function asPostgres(command: string, args: string[]) {
  return run('runuser', ['-u', 'postgres', '--', join(BIN, command), ...args], { timeout: 60_000 });
}

/**
 * A PostgreSQL 15 cluster of the test's own, in a temporary directory on a free loopback port,
 * so fault tests can stop and restart it without touching the machine's server on 5432.
 */
export async function startPostgresCluster(): Promise<PostgresCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'transferhub-pg-'));
  const [uid, gid] = await Promise.all(['-u', '-g'].map(async (flag) => Number((await run('id', [flag, 'postgres'])).stdout.trim())));
  chownSync(dir, uid!, gid!);
  const data = join(dir, 'data');
  const port = await freePort();
  // --no-sync: only initdb's files are not flushed; the running server keeps fsync on, so a
  // commit it acknowledged is on disk before an immediate stop.
  await asPostgres('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale', 'C.UTF-8']);
  // 40 connections: the API's pool (10), the worker's (10) and the test's own checks.
  const options = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${dir} -c max_connections=40 -c shared_buffers=16MB`;
  let running = false;
  const cluster: PostgresCluster = {
    port,
    url: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
    start: async () => {
      await asPostgres('pg_ctl', ['start', '-w', '-D', data, '-l', join(dir, 'server.log'), '-o', options]);
      running = true;
    },
    stop: async (mode) => {
      await asPostgres('pg_ctl', ['stop', '-w', '-D', data, '-m', mode]);
      running = false;
    },
    destroy: async () => {
      if (running) await cluster.stop('immediate').catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await cluster.start();
  return cluster;
}
