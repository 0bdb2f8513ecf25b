import type { Db } from '../../db/client';
import { buildQueuedDocuments, searchDocumentsQueued } from '../../db/queries/search/pending.queries';

/**
 * Builds the search documents a federation snapshot queued (migration 0024): batches of entries,
 * each in its own transaction, on `workers` connections at once, until the queue is empty, the
 * deadline passes or the signal aborts. Several workers only on PostgreSQL (PGlite has one
 * connection; its transactions would take turns anyway). What is left is built by the next pull.
 */

/** Entries per transaction: large enough that a batch's statements are set-wise, small enough that concurrent builders and writers wait little on each other's locks. */
export const QUEUED_BUILD_BATCH = 200;

export type QueuedBuildOptions = { workers: number; deadline?: number; signal?: AbortSignal };
/** stopped: the deadline or the signal ended the build (entries may be left). */
export type QueuedBuildResult = { built: number; stopped: boolean };

export async function buildQueuedSearch(db: Db, options: QueuedBuildOptions): Promise<QueuedBuildResult> {
  let built = 0;
  let stopped = false;
  const worker = async () => {
    for (;;) {
      if (options.signal?.aborted || (options.deadline !== undefined && Date.now() >= options.deadline)) {
        stopped = true;
        return;
      }
      const n = await db.transaction((tx) => buildQueuedDocuments(tx, QUEUED_BUILD_BATCH));
      built += n;
      // Nothing this worker may take: empty, or the rest is held by the other workers.
      if (n === 0) return;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.workers) }, worker));
  // Entries locked by a writer, or queued by a snapshot page that committed meanwhile, may be left
  // even when no worker stopped: whoever needs to know asks the queue (searchDocumentsQueued).
  return { built, stopped };
}

/**
 * The builder of one pull (pull.service): a worker beside the page applies once the snapshot is
 * past the records a document is made of (software and reuses), then every worker the database
 * allows after the last page.
 */
export function queuedSearchBuilder(db: Db, options: QueuedBuildOptions) {
  let alongside: Promise<QueuedBuildResult> | undefined;
  return {
    /** Starts the worker beside the page applies (several connections only). */
    startAlongside(): void {
      if (!alongside && options.workers > 1) alongside = buildQueuedSearch(db, { ...options, workers: 1 });
    },
    /** Builds what is left with every worker (the one beside the pages goes on as one of them); true when entries remain (deadline, signal). */
    async finish(): Promise<boolean> {
      // An idle pull (nothing applied, nothing queued) pays one probe of the empty queue, not a
      // transaction per worker.
      if (!alongside && !(await searchDocumentsQueued(db))) return false;
      const more = options.workers - (alongside ? 1 : 0);
      await Promise.all([alongside, more > 0 ? buildQueuedSearch(db, { ...options, workers: more }) : undefined]);
      // Asked once every worker is done: a worker's own answer can predate another's last batch.
      return searchDocumentsQueued(db);
    },
    /** After a failed pull: the worker's own failure is not the pull's. */
    async settle(): Promise<void> {
      await alongside?.catch(() => undefined);
    },
  };
}
