import type { Db } from '../../db/client';
import { flushSearchBacklog } from '../../db/queries/search/backlog.queries';
import type { Logger } from '../../lib/logger';

/**
 * Builds the search documents that writes deferred (a peer's snapshot pages, migration
 * 0019_search_deferred) in transactions of their own, while the writer goes on: on PostgreSQL
 * the documents of one page are built on a second connection while the next page is applied, so
 * the ~2.5 ms of to_tsvector per entry runs beside the applier instead of inside its
 * transaction. On PGlite (one connection) the flushes simply queue behind the applier.
 */

/**
 * 250 entries a transaction: ~0.6 s of PostgreSQL CPU, so the rows it locks (an update of one of
 * them waits for it) are held for well under a second, and a stop loses at most that much work.
 */
export const SEARCH_BACKLOG_BATCH = 250;

export type SearchBacklog = {
  /** Something was deferred: build it soon (one drain at a time; a kick while it runs makes it go round again). */
  kick(): void;
  /** Waits until the drain started by the last kick has finished. Never throws: what fails stays pending for the next drain. */
  settle(): Promise<void>;
};

export function createSearchBacklog(db: Db, logger: Pick<Logger, 'warn'>): SearchBacklog {
  let running: Promise<void> | null = null;
  let again = false;
  const drain = async () => {
    do {
      again = false;
      while ((await flushSearchBacklog(db, SEARCH_BACKLOG_BATCH)) > 0) {
        // more may be pending: go on until a flush finds nothing
      }
    } while (again);
  };
  const start = () => {
    running = drain()
      .catch((error: unknown) => logger.warn({ err: error }, 'search documents of deferred entries not built yet; the next drain retries'))
      .finally(() => {
        running = null;
      });
  };
  return {
    kick() {
      if (running) again = true;
      else start();
    },
    async settle() {
      while (running) await running;
    },
  };
}

/** Builds every pending search document now (a pull's start after a crash, the search maintenance job). */
export async function drainSearchBacklog(db: Db): Promise<number> {
  let built = 0;
  for (let n = await flushSearchBacklog(db, SEARCH_BACKLOG_BATCH); n > 0; n = await flushSearchBacklog(db, SEARCH_BACKLOG_BATCH)) built += n;
  return built;
}
