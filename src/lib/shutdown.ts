import type { Logger } from './logger';

/** Runs one named part of the shutdown; a part still running at the deadline is named in the log. */
export type ShutdownStep = <T>(name: string, work: () => Promise<T>) => Promise<T>;

/**
 * SIGTERM and SIGINT stop the process gracefully: `close` runs its steps, then the process exits
 * with 0. Some things never finish (a request whose body never comes, a job stuck in a dead
 * host), so after `timeoutMs` the process logs the steps it still waits for and exits with 1;
 * a second signal (an impatient operator's Ctrl-C) exits with 1 at once.
 */
export function exitGracefullyOnSignals(options: {
  logger: Logger;
  timeoutMs: number;
  /** What the first log line says is happening, e.g. "no new requests, draining jobs". */
  stopping: string;
  close: (step: ShutdownStep) => Promise<void>;
}) {
  const { logger, timeoutMs } = options;
  const pending = new Set<string>();
  const step: ShutdownStep = async (name, work) => {
    pending.add(name);
    try {
      return await work();
    } finally {
      pending.delete(name);
    }
  };
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal, waitingFor: [...pending] }, 'second signal: exiting at once');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal, deadlineSeconds: timeoutMs / 1000 }, `shutting down: ${options.stopping}`);
    const deadline = setTimeout(() => {
      logger.error({ waitingFor: [...pending] }, `shutdown deadline of ${timeoutMs / 1000} s passed, still waiting for: ${[...pending].join(', ') || 'nothing known'}; exiting`);
      process.exit(1);
    }, timeoutMs);
    options.close(step).then(
      () => {
        clearTimeout(deadline);
        logger.info('stopped');
        process.exit(0);
      },
      (err: unknown) => {
        logger.error({ err, waitingFor: [...pending] }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
