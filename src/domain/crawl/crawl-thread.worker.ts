import { parentPort, workerData } from 'node:worker_threads';
import { GitRemoteError } from '../../git/errors';
import { MemoryBudget, type SharedCounter } from '../../git/memory-budget';
import { fetchObjectsOf, readHead } from './head-snapshot';
import type { ThreadAnswer, ThreadMessage } from './crawl-threads';

/**
 * The crawl thread: fetches and inflates what crawls read and turns it into the entries' fields
 * (licence detection, Markdown), off the process's event loop, and sends back plain data. It runs
 * the crawls of its process side by side (they wait on the network most of the time); everything
 * they hold is reserved in the process's shared memory counter.
 */
const { counter, capBytes } = workerData as { counter: SharedCounter; capBytes: number };
const running = new Map<number, AbortController>();

function describe(error: unknown): ThreadAnswer['error'] {
  if (error instanceof GitRemoteError) return { message: error.message, kind: error.kind, status: error.status, code: error.code };
  return { message: (error as Error)?.message ?? String(error) };
}

parentPort!.on('message', (message: ThreadMessage) => {
  if (message.kind === 'cancel') {
    running.get(message.id)?.abort(new GitRemoteError('slow', 'the time limit of the crawl ran out'));
    return;
  }
  const task = message;
  const budget = new MemoryBudget(counter, capBytes);
  const controller = new AbortController();
  running.set(task.id, controller);
  const run = { budget, signal: controller.signal };
  const work = task.kind === 'head' ? readHead(task.input, run) : fetchObjectsOf({ ...task.request, ...run }, task.keep);
  work
    .then((value) => parentPort!.postMessage({ id: task.id, value } satisfies ThreadAnswer))
    .catch((error: unknown) => parentPort!.postMessage({ id: task.id, error: describe(error) } satisfies ThreadAnswer))
    .finally(() => {
      running.delete(task.id);
      budget.release();
    });
});
