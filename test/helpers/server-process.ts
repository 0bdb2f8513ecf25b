import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export type ServerProcess = {
  base: string;
  /** Everything the hub wrote to stdout so far. */
  output(): string;
  /** Resolves once the output matches (the hub logs each start step). */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<void>;
  /** SIGTERM to the hub itself; resolves with its exit code. */
  stop(): Promise<number | null>;
  kill(): void;
};

/**
 * `npm start`'s entry (`src/server.ts`) as a user runs it, without DATABASE_URL or REDIS_URL.
 * `tty: true` runs it under `script`, so its stdout is a terminal as when a person watches.
 */
export function startServer(options: { env: Record<string, string>; tty?: boolean }): ServerProcess {
  const port = options.env.PORT;
  const env = { ...process.env, HOST: '127.0.0.1', DATABASE_URL: '', REDIS_URL: '', ...options.env };
  const node = `${process.execPath} --import tsx src/server.ts`;
  const child: ChildProcess = options.tty
    ? spawn('script', ['-qfec', `exec ${node}`, '/dev/null'], { env, stdio: ['ignore', 'pipe', 'inherit'] })
    : spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  /** Under `script` the hub is script's child (exec'd by its shell), which is the one to signal. */
  const hubPid = () => {
    if (!options.tty) return child.pid!;
    const children = readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(/\s+/);
    return Number(children[0]);
  };
  return {
    base: `http://127.0.0.1:${port}`,
    output: () => output,
    async waitFor(pattern, timeoutMs) {
      const until = Date.now() + timeoutMs;
      while (!pattern.test(output)) {
        if (child.exitCode !== null) throw new Error(`hub exited with ${child.exitCode} before ${pattern}:\n${output}`);
        if (Date.now() > until) throw new Error(`no ${pattern} within ${timeoutMs} ms:\n${output}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      process.kill(hubPid(), 'SIGTERM');
      return exited;
    },
    kill: () => void child.kill('SIGKILL'),
  };
}
