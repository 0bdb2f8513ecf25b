import { Worker } from 'node:worker_threads';
import type { Config } from '../../config';
import { GitRemoteError, type GitFailureKind } from '../../git/errors';
import { networkFailure } from '../../git/http-client';
import { createSharedCounter, MEMORY_CAP_CODE, releaseThread, type SharedCounter } from '../../git/memory-budget';
import type { GitObject, ObjectStore, ObjectType } from '../../git/pack';
import type { FetchRequest } from '../../git/shallow-fetch';
import type { HeadContent, HeadFetch } from './head-snapshot';

export type ThreadTask =
  | { id: number; kind: 'head'; input: HeadFetch }
  | { id: number; kind: 'objects'; request: Omit<FetchRequest, 'budget' | 'signal'>; keep: ObjectType[] };
type TaskBody = ThreadTask extends infer T ? (T extends ThreadTask ? Omit<T, 'id'> : never) : never;
export type ThreadAnswer = {
  id: number;
  value?: unknown;
  error?: { message: string; kind?: GitFailureKind; status?: number | null; code?: string | null };
};

/**
 * Heap (V8 old generation) of one crawl thread. Pack bytes and inflated objects live outside
 * it and are bounded by HUB_CRAWL_MEMORY_MB; the heap holds trees parsed into entries and the
 * loaded code (~30 MiB under tsx), so 96 MiB leaves room and still stops a runaway.
 */
const THREAD_HEAP_MB = 96;

type Thread = { worker: Worker; counter: SharedCounter };

/** Buffers come back from a thread as Uint8Arrays: views on the same memory, no copy. */
const buffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
const object = (o: GitObject): GitObject => ({ type: o.type, data: buffer(o.data) });

function revive(error: NonNullable<ThreadAnswer['error']>): Error {
  if (error.kind) return new GitRemoteError(error.kind, error.message, error.status ?? null, error.code ?? null);
  return new Error(error.message);
}

/**
 * The crawl threads of one process (node:worker_threads): git transfers, pack inflation, licence
 * detection and Markdown run there, so neither a pathological repository nor the licence index
 * built on first use (4 s of CPU) stalls the API's event loop (embedded mode runs crawls in the
 * API process). Threads are kept for the next crawl (starting one costs a
 * second); a thread whose crawl is aborted or runs out of heap is ended, which frees all it held.
 */
export class CrawlThreads {
  private readonly idle: Thread[] = [];
  private readonly busy = new Set<Thread>();
  private readonly total = createSharedCounter().total;
  private nextId = 0;
  private closed = false;

  constructor(private readonly capBytes: number) {}

  /** The head commit's README, licence and publiccode.yml as the entry's fields. */
  async readHead(input: HeadFetch, signal?: AbortSignal): Promise<HeadContent> {
    const value = (await this.run({ kind: 'head', input }, signal)) as HeadContent;
    return { content: value.content, commit: object(value.commit) };
  }

  async objects(request: Omit<FetchRequest, 'budget' | 'signal'>, keep: ObjectType[], signal?: AbortSignal): Promise<ObjectStore> {
    const value = (await this.run({ kind: 'objects', request, keep }, signal)) as ObjectStore;
    return { objects: new Map([...value.objects].map(([oid, o]) => [oid, object(o)])), oversized: value.oversized };
  }

  /** Memory the crawls of this process hold now, in bytes (tests and the bench read it). */
  heldBytes(): number {
    return Atomics.load(this.total, 0) * 1024;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.idle, ...this.busy].map((thread) => this.end(thread)));
    this.idle.length = 0;
  }

  private spawn(): Thread {
    const counter = createSharedCounter(this.total);
    const here = import.meta.url;
    const fromSource = here.endsWith('.ts');
    const entry = new URL(`./crawl-thread.worker.${fromSource ? 'ts' : 'js'}`, here);
    const options = { workerData: { counter, capBytes: this.capBytes }, resourceLimits: { maxOldGenerationSizeMb: THREAD_HEAP_MB } };
    // From TypeScript sources (npm start, tests) the thread loads its entry through tsx, found
    // from here (an evaluated script would resolve it from the working directory).
    const tsx = fromSource ? import.meta.resolve('tsx/esm/api') : null;
    const worker = tsx
      ? new Worker(`import(${JSON.stringify(tsx)}).then(({ tsImport }) => tsImport(${JSON.stringify(entry.href)}, ${JSON.stringify(here)}))`, { ...options, eval: true })
      : new Worker(entry, options);
    return { worker, counter };
  }

  private async end(thread: Thread) {
    this.busy.delete(thread);
    await thread.worker.terminate().catch(() => {});
    releaseThread(thread.counter);
  }

  private run(task: TaskBody, signal?: AbortSignal): Promise<unknown> {
    if (this.closed) return Promise.reject(new GitRemoteError('temporary', 'the crawler is shutting down'));
    if (signal?.aborted) return Promise.reject(networkFailure(signal.reason, signal));
    const thread = this.idle.pop() ?? this.spawn();
    this.busy.add(thread);
    thread.worker.ref();
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      const { worker } = thread;
      const settle = (outcome: () => void, keep: boolean) => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        signal?.removeEventListener('abort', onAbort);
        if (keep && !this.closed) {
          this.busy.delete(thread);
          worker.unref();
          this.idle.push(thread);
        } else void this.end(thread);
        outcome();
      };
      const onMessage = (answer: ThreadAnswer) => {
        if (answer.id !== id) return;
        settle(() => (answer.error ? reject(revive(answer.error)) : resolve(answer.value)), true);
      };
      const onError = (error: Error & { code?: string }) => {
        const failure =
          error.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? new GitRemoteError('too-large', `repository too large to crawl: its trees need more than the crawl thread's ${THREAD_HEAP_MB} MiB`, null, MEMORY_CAP_CODE)
            : error;
        settle(() => reject(failure), false);
      };
      const onExit = (code: number) => settle(() => reject(new Error(`the crawl thread stopped (exit code ${code})`)), false);
      const onAbort = () => settle(() => reject(networkFailure(signal!.reason, signal)), false);
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      signal?.addEventListener('abort', onAbort, { once: true });
      worker.postMessage({ ...task, id });
    });
  }
}

const pools = new WeakMap<Config, CrawlThreads>();

/** The crawl threads of a hub (one pool per configuration, that is per process outside tests). */
export function crawlThreads(config: Config): CrawlThreads {
  let pool = pools.get(config);
  if (!pool) pools.set(config, (pool = new CrawlThreads(config.crawlMemoryBytes)));
  return pool;
}

export async function closeCrawlThreads(config: Config): Promise<void> {
  await pools.get(config)?.close();
  pools.delete(config);
}
