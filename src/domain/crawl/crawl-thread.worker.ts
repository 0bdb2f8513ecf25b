import { parentPort, workerData } from 'node:worker_threads';
import { GitRemoteError } from '../../git/errors';
import { MemoryBudget, type SharedCounter } from '../../git/memory-budget';
import { fetchObjectsOf, readHead } from './head-snapshot';
import type { ThreadTask, ThreadAnswer } from './crawl-threads';

/**
 * A crawl thread: fetches and inflates what a crawl reads and turns it into the entry's fields
 * (licence detection, Markdown), off the process's event loop, and sends back plain data. Everything it holds is reserved in the
 * process's shared memory counter; the process ends the thread when the crawl's time runs out.
 */
const { counter, capBytes } = workerData as { counter: SharedCounter; capBytes: number };

function describe(error: unknown): ThreadAnswer['error'] {
  if (error instanceof GitRemoteError) return { message: error.message, kind: error.kind, status: error.status, code: error.code };
  return { message: (error as Error)?.message ?? String(error) };
}

parentPort!.on('message', (task: ThreadTask) => {
  const budget = new MemoryBudget(counter, capBytes);
  const work = task.kind === 'head' ? readHead(task.input, { budget }) : fetchObjectsOf({ ...task.request, budget }, task.keep);
  work
    .then((value) => parentPort!.postMessage({ id: task.id, value } satisfies ThreadAnswer))
    .catch((error: unknown) => parentPort!.postMessage({ id: task.id, error: describe(error) } satisfies ThreadAnswer))
    .finally(() => budget.release());
});
