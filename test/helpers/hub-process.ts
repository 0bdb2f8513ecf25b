import { spawn, type ChildProcess } from 'node:child_process';

export type HubProcess = {
  child: ChildProcess;
  /** Exit code or signal once the process has ended, null while it runs. */
  exit: () => string | null;
  /** What the process wrote to stdout and stderr (pino JSON lines; a crash's stack). */
  output: () => string;
  stop(): Promise<void>;
};

/**
 * An entry (`src/server.ts` or `workers/main.ts`) as a real process: Node with tsx's loader,
 * not the tsx command, whose own child would survive a SIGKILL. A compiled entry (`….js` from
 * `npm run build`) runs on plain Node, as production starts it.
 */
export function startHubProcess(entry: string, env: Record<string, string>): HubProcess {
  const args = entry.endsWith('.js') ? [entry] : ['--import', 'tsx', entry];
  const child = spawn(process.execPath, args, {
    env: { ...process.env, HUB_ALLOW_PRIVATE_HOSTS: 'true', HUB_DEMO: 'false', LOG_LEVEL: 'warn', HUB_RATE_LIMITS: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let exit: string | null = null;
  // The last 64 KiB are enough to show why a process died.
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-65_536));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exit = signal ?? String(code);
      resolve();
    }),
  );
  return {
    child,
    exit: () => exit,
    output: () => output,
    stop: async () => {
      if (exit !== null) return;
      child.kill('SIGTERM');
      // Graceful shutdown drains requests and jobs; past 10 s it is stuck, and a stuck process must not outlive the test.
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Polls `url` until it answers 200, failing early if the process exits. */
export async function waitForHttp(hub: HubProcess, url: string, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (hub.exit() !== null) throw new Error(`process exited (${hub.exit()}) before answering:\n${hub.output()}`);
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(1000) })).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not answer 200 within ${ms} ms:\n${hub.output()}`);
}
