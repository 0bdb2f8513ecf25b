import { spawn, type ChildProcess } from 'node:child_process';

/** Polls read() until done() holds for its value, or fails after ms with the last value seen. */
export async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, ms = 40_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

export type WorkerProcess = { child: ChildProcess; exited: Promise<number | null>; /** Everything it wrote to stdout so far. */ output(): string };

/**
 * `workers/main.ts` as its own process in server mode. Node with tsx's loader, not the tsx
 * command: that runs the worker in a child process of its own, so a SIGKILL would kill only tsx.
 */
export function startWorkerProcess(env: Record<string, string>): WorkerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'workers/main.ts'], {
    env: { ...process.env, HUB_ALLOW_PRIVATE_HOSTS: 'true', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}
