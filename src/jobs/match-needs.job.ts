import { Type } from 'typebox';
import { defineJob } from './contract';
import { periodicJob } from './periodic';

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

/** Idempotent `ensure` (embedded mode at start, workers at start) and `restore` (workers, when Redis lost the scheduler). */
const schedule = periodicJob(NEED_MATCH_SCHEDULER_ID, matchNeedsJob, NEED_MATCH_INTERVAL_MS);
export const ensureNeedMatchScheduler = schedule.ensure;
export const restoreNeedMatchScheduler = schedule.restore;
