import { GitRemoteError } from './errors';

/**
 * The memory a process's crawls may hold together: pack bytes as they arrive and every object
 * inflated from them (delta results included). One counter in shared memory (KiB, so an Int32
 * reaches 2 TiB), used by all crawl threads of the process with atomic adds: a crawl reserves
 * before it allocates and never holds more than the cap, whatever the repository looks like.
 */
export type SharedCounter = {
  /** KiB held by all crawls of the process. */
  total: Int32Array;
  /** KiB held by one thread: given back by the process when it ends the thread (a time limit, a shutdown). */
  mine: Int32Array;
};

const shared = () => new Int32Array(new SharedArrayBuffer(4));

export function createSharedCounter(total: Int32Array = shared()): SharedCounter {
  return { total, mine: shared() };
}

/** What an ended thread held goes back to the process's total. */
export function releaseThread(counter: SharedCounter): void {
  Atomics.sub(counter.total, 0, Atomics.exchange(counter.mine, 0, 0));
}

export const MEMORY_CAP_CODE = 'crawl.memory_cap_exceeded';

const kib = (bytes: number) => Math.ceil(bytes / 1024);
const mib = (bytes: number) => Math.round(bytes / 1024 / 1024);

/** One crawl's share of the counter; release() gives everything back (after the crawl, or on failure). */
export class MemoryBudget {
  private held = 0;

  constructor(
    private readonly shared: SharedCounter,
    private readonly capBytes: number,
  ) {}

  /** Reserves bytes before they are allocated; refuses once the crawl, or all crawls together, would pass the cap. */
  take(bytes: number, what = 'the repository'): void {
    const size = kib(bytes);
    const total = Atomics.add(this.shared.total, 0, size) + size;
    Atomics.add(this.shared.mine, 0, size);
    this.held += size;
    if (total * 1024 <= this.capBytes) return;
    this.give(bytes);
    if ((this.held + size) * 1024 > this.capBytes) {
      throw new GitRemoteError(
        'too-large',
        `repository too large to crawl: ${what} needs more than the crawler's memory cap of ${mib(this.capBytes)} MiB (HUB_CRAWL_MEMORY_MB); nothing was stored`,
        null,
        MEMORY_CAP_CODE,
      );
    }
    // This crawl alone fits, others hold the rest: a later attempt gets the memory.
    throw new GitRemoteError('temporary', 'the crawler is busy with other large repositories; the crawl is retried later');
  }

  /** Gives bytes back that are no longer held (a pack buffer after parsing). */
  give(bytes: number): void {
    const size = Math.min(kib(bytes), this.held);
    Atomics.sub(this.shared.total, 0, size);
    Atomics.sub(this.shared.mine, 0, size);
    this.held -= size;
  }

  release(): void {
    this.give(this.held * 1024);
  }
}

/** No accounting: for callers outside a crawl (tests of the parser, command-line tools). */
export function unlimitedBudget(): MemoryBudget {
  return new MemoryBudget(createSharedCounter(), Number.MAX_SAFE_INTEGER);
}
