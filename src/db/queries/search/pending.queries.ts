import { sql } from 'drizzle-orm';
import type { Executor } from '../../client';
import { rows } from './statement';

/**
 * Search documents queued by a snapshot (migration 0024, `search_pending`). Takes up to `limit`
 * queued entries no other builder holds and builds their documents (th_search_build); the caller's
 * transaction keeps the queue rows and the software rows locked until it commits (the software
 * rows FOR NO KEY UPDATE: releases and reuses inserted meanwhile need only their key), so an update of
 * a taken entry waits and then refreshes the built document itself, and an update that came first
 * is read by the build. Returns how many were built.
 */
export async function buildQueuedDocuments(tx: Executor, limit: number): Promise<number> {
  const taken = await rows<{ id: string }>(
    tx,
    sql`SELECT p.software_id AS id FROM search_pending p JOIN software s ON s.id = p.software_id
      ORDER BY p.software_id LIMIT ${limit} FOR UPDATE OF p SKIP LOCKED FOR NO KEY UPDATE OF s SKIP LOCKED`,
  );
  if (taken.length === 0) return 0;
  const ids = taken.map((row) => row.id);
  await tx.execute(sql`SELECT public.th_search_build(${sql.param(ids)}::uuid[])`);
  return ids.length;
}

/** Queues the documents of software inserted by this transaction instead of building them (th_software_inserted). */
export async function deferSearchDocuments(tx: Executor): Promise<void> {
  await tx.execute(sql`SELECT set_config('transferhub.search_build', 'deferred', true)`);
}

/** Whether any search document is still queued. */
export async function searchDocumentsQueued(db: Executor): Promise<boolean> {
  const [row] = await rows<{ queued: boolean }>(db, sql`SELECT EXISTS (SELECT 1 FROM search_pending) AS queued`);
  return row?.queued ?? false;
}
