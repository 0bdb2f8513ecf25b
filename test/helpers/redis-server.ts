import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { freePort } from './postgres-cluster';

const run = promisify(execFile);

export type RedisServer = {
  port: number;
  url: string;
  /** SIGKILL: no save, no goodbye to clients. */
  kill(): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
};

/**
 * A Redis of the test's own on a free loopback port, without persistence (`--save ''`,
 * no AOF): killing it loses every key, as a Redis without persistence does in production.
 */
export async function startRedisServer(): Promise<RedisServer> {
  const port = await freePort();
  let pid: number | null = null;
  const server: RedisServer = {
    port,
    url: `redis://127.0.0.1:${port}`,
    start: async () => {
      await run('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'yes', '--maxmemory-policy', 'noeviction']);
      // Daemonized: wait until it answers, then remember its pid to kill exactly this one.
      for (let i = 0; i < 100; i++) {
        const probe = new Redis(server.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
        probe.on('error', () => {});
        try {
          await probe.connect();
          const info = await probe.info('server');
          pid = Number(/process_id:(\d+)/.exec(info)?.[1]);
          return;
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 50));
        } finally {
          probe.disconnect();
        }
      }
      throw new Error(`redis-server on port ${port} did not start`);
    },
    kill: async () => {
      if (pid === null) return;
      process.kill(pid, 'SIGKILL');
      // Gone when signal 0 fails.
      for (;;) {
        try {
          process.kill(pid, 0);
          await new Promise((resolve) => setTimeout(resolve, 20));
        } catch {
          break;
        }
      }
      pid = null;
    },
    destroy: () => server.kill(),
  };
  await server.start();
  return server;
}
