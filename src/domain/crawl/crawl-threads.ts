import { Worker } from 'node:worker_threads';
import type { Config } from '../../config';
import { GitRemoteError, type GitFailureKind } from '../../git/errors';
import { networkFailure } from '../../git/http-client';
import { createSharedCounter, releaseThread, type SharedCounter } from '../../git/memory-budget';
import type { GitObject, ObjectStore, ObjectType } from '../../git/pack';
import type { FetchRequest } from '../../git/shallow-fetch';
import type { HeadContent, HeadFetch } from './head-snapshot';

export type ThreadTask =
  | { id: number; kind: 'head'; input: HeadFetch }
  | { id: number; kind: 'objects'; request: Omit<FetchRequest, 'budget' | 'signal'>; keep: ObjectType[] };
export type ThreadMessage = ThreadTask | { id: number; kind: 'cancel' };
type TaskBody = ThreadTask extends infer T ? (T extends ThreadTask ? Omit<T, 'id'> : never) : never;
export type ThreadAnswer = {
  id: number;
  value?: unknown;
  error?: { message: string; kind?: GitFailureKind; status?: number | null; code?: string | null };
};

/**
 * Heap (V8 old generation) of the crawl thread. Pack bytes and inflated objects live outside
 * it and are bounded by HUB_CRAWL_MEMORY_MB; the heap holds trees parsed into entries, the
 * licence index and the loaded code (~40 MiB under tsx), so 128 MiB leaves room and still
 * stops a runaway.
 */
const THREAD_HEAP_MB = 128;
/**
 * A cancelled crawl (its time ran out) answers within milliseconds when it waits on the network;
 * one busy in the CPU for 10 s more is stuck, and the thread is ended (its other crawls retry).
 */
const CANCEL_GRACE_MS = 10_000;

type Pending = { resolve(value: unknown): void; reject(error: Error): void };
type Thread = { worker: Worker; counter: SharedCounter; pending: Map<number, Pending> };

/** Buffers come back from a thread as Uint8Arrays: views on the same memory, no copy. */
const buffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
const object = (o: GitObject): GitObject => ({ type: o.type, data: buffer(o.data) });

function revive(error: NonNullable<ThreadAnswer['error']>): Error {
  if (error.kind) return new GitRemoteError(error.kind, error.message, error.status ?? null, error.code ?? null);
  return new Error(error.message);
}

/**
 * The crawl thread of one process (node:worker_threads): git transfers, pack inflation, licence
 * detection and Markdown run there, so neither a pathological repository nor the licence index
 * built on first use (4 s of CPU) stalls the API's event loop (embedded mode runs crawls in the
 * API process). One thread runs all crawls of the process side by side: a thread costs its own
 * heap, code and licence index (~100 MiB), and crawls mostly wait on the network. A thread that
 * fails (out of heap, a stuck crawl) is ended, which frees all it held, and the next crawl starts
 * a new one.
 */
export class CrawlThreads {
  private thread: Thread | null = null;
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
    if (this.thread) await this.end(this.thread, new GitRemoteError('temporary', 'the crawler is shutting down'));
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
    const thread: Thread = { worker, counter, pending: new Map() };
    worker.on('message', (answer: ThreadAnswer) => {
      const pending = thread.pending.get(answer.id);
      thread.pending.delete(answer.id);
      if (thread.pending.size === 0) worker.unref();
      if (answer.error) pending?.reject(revive(answer.error));
      else pending?.resolve(answer.value);
    });
    worker.on('error', (error: Error & { code?: string }) => {
      const failure =
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? new GitRemoteError('temporary', `the crawl thread ran out of its ${THREAD_HEAP_MB} MiB heap; the crawl is retried later`)
          : error;
      void this.end(thread, failure);
    });
    worker.on('exit', (code) => void this.end(thread, new Error(`the crawl thread stopped (exit code ${code})`)));
    return thread;
  }

  /** Ends a thread: its crawls fail with the reason, and what they held goes back to the process. */
  private async end(thread: Thread, reason: Error) {
    if (this.thread === thread) this.thread = null;
    const pending = [...thread.pending.values()];
    thread.pending.clear();
    for (const task of pending) task.reject(reason);
    await thread.worker.terminate().catch(() => {});
    releaseThread(thread.counter);
  }

  private run(task: TaskBody, signal?: AbortSignal): Promise<unknown> {
    if (this.closed) return Promise.reject(new GitRemoteError('temporary', 'the crawler is shutting down'));
    if (signal?.aborted) return Promise.reject(networkFailure(signal.reason, signal));
    const thread = (this.thread ??= this.spawn());
    const id = ++this.nextId;
    thread.worker.ref();
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        if (!thread.pending.has(id)) return;
        thread.worker.postMessage({ id, kind: 'cancel' } satisfies ThreadMessage);
        const stuck = setTimeout(() => {
          if (thread.pending.has(id)) void this.end(thread, new GitRemoteError('temporary', 'a crawl in the same thread was stuck; the crawl is retried later'));
        }, CANCEL_GRACE_MS);
        stuck.unref();
      };
      thread.pending.set(id, {
        resolve: (value) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(value);
        },
        reject: (error) => {
          signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
      });
      signal?.addEventListener('abort', onAbort, { once: true });
      thread.worker.postMessage({ ...task, id } satisfies ThreadMessage);
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
