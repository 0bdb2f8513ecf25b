import { GitRemoteError } from './errors';

/**
 * How fast a host must deliver once it had time to start: a transfer whose last `windowMs`
 * brought fewer than minBytesPerSecond × window bytes is stopped. A host answering one byte
 * per second would otherwise hold a crawl slot for the whole time limit of every attempt.
 */
export type Pace = { graceMs: number; minBytesPerSecond: number };

/** Checked twice a second: fine enough to stop a dribbling host within a second of the rule. */
const TICK_MS = 500;
/** The rate is judged over the last 10 s: long enough to ride out a pause of a busy host. */
const WINDOW_MS = 10_000;

export type PaceGuard = {
  /** Aborts when the job's signal does, or when the host is too slow. */
  signal: AbortSignal | undefined;
  progress(bytes: number): void;
  stop(): void;
  /** Why the guard stopped the transfer, or null when it did not. */
  failure(): GitRemoteError | null;
};

/** Watches one request from its start (the wait for the answer's headers counts too). */
export function watchPace(pace: Pace | undefined, parent?: AbortSignal): PaceGuard {
  if (!pace) return { signal: parent, progress() {}, stop() {}, failure: () => null };
  const controller = new AbortController();
  const window = Math.min(WINDOW_MS, pace.graceMs);
  const started = Date.now();
  const samples: { at: number; total: number }[] = [{ at: started, total: 0 }];
  let total = 0;
  let failure: GitRemoteError | null = null;
  const timer = setInterval(() => {
    const now = Date.now();
    samples.push({ at: now, total });
    while (samples.length > 1 && samples[1]!.at <= now - window) samples.shift();
    if (now - started < pace.graceMs) return;
    const first = samples[0]!;
    const seconds = Math.max((now - first.at) / 1000, 0.001);
    if ((total - first.total) / seconds >= pace.minBytesPerSecond) return;
    const kib = Math.max(1, Math.round(pace.minBytesPerSecond / 1024));
    failure = new GitRemoteError(
      'slow',
      `the host is too slow: less than ${kib} KiB/s over ${Math.round(window / 1000)} s (after ${Math.round(pace.graceMs / 1000)} s to start); the transfer was stopped`,
    );
    clearInterval(timer);
    controller.abort(failure);
  }, TICK_MS);
  timer.unref();
  return {
    signal: parent ? AbortSignal.any([parent, controller.signal]) : controller.signal,
    progress: (bytes) => (total += bytes),
    stop: () => clearInterval(timer),
    failure: () => failure,
  };
}
