import { Type } from 'typebox';
import { defineJob, type JobQueue } from './contract';

/**
 * Attaches the best-matching software to needs: one need (on creation or a change of its text),
 * or, without needId, every open need whose matches are older than the catalogue revision.
 */
export const matchNeedsJob = defineJob({
  name: 'match-needs',
  payload: Type.Object({ needId: Type.Optional(Type.String({ format: 'uuid' })) }, { additionalProperties: false }),
  attempts: 3,
  backoffMs: 30_000,
  // A few search statements per need, at most NEEDS_PER_RUN needs: well under a minute.
  timeoutMs: 5 * 60_000,
  dedupId: (payload) => `match-needs:${payload.needId ?? 'all'}`,
});

export const NEED_MATCH_SCHEDULER_ID = 'need-rematch';
/** Catalogue changes reach the needs within this interval; the check itself is one indexed query when nothing changed. */
export const NEED_MATCH_INTERVAL_MS = 15 * 60_000;

/** Idempotent: embedded mode calls it at start, workers at start and when Redis lost the scheduler. */
export async function ensureNeedMatchScheduler(queue: JobQueue) {
  await queue.upsertScheduler(NEED_MATCH_SCHEDULER_ID, matchNeedsJob, {}, NEED_MATCH_INTERVAL_MS);
}

/** Re-creates the scheduler when Redis lost it; true when it had to. */
export async function restoreNeedMatchScheduler(queue: JobQueue): Promise<boolean> {
  if (await queue.hasScheduler(NEED_MATCH_SCHEDULER_ID, matchNeedsJob)) return false;
  await ensureNeedMatchScheduler(queue);
  return true;
}
