import { sql } from 'drizzle-orm';
import type { Executor, Tx } from '../../client';
import { rows } from './statement';

/**
 * Search documents built after the write (migration 0019_search_deferred): a transaction that
 * defers them leaves its new software in search_pending, and flushSearchBacklog builds them.
 */

/** For the rest of this transaction, new software waits in search_pending for its search document. */
export async function deferSearchDocuments(tx: Tx): Promise<void> {
  await tx.execute(sql`SELECT set_config('transferhub.search_deferred', 'on', true)`);
}

/** Builds the search documents of up to `limit` pending entries in one transaction; returns how many. */
export async function flushSearchBacklog(db: Executor, limit: number): Promise<number> {
  const [row] = await rows<{ n: number }>(db, sql`SELECT public.th_search_flush(${limit}::int) AS n`);
  return row?.n ?? 0;
}

/** How many entries wait for their search document. */
export async function countSearchBacklog(db: Executor): Promise<number> {
  const [row] = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM public.search_pending`);
  return row?.n ?? 0;
}
