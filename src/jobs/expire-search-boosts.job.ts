import { Type } from 'typebox';
import { defineJob } from './contract';
import type { JobQueue } from './contract';

/**
 * Recomputes the search boosts whose "release within a year" has run out (one indexed UPDATE,
 * usually of no rows). A scheduled job rather than part of a search request: a GET never writes,
 * and the UPDATE moves the catalogue revision, which empties every answer cache.
 */
export const expireSearchBoostsJob = defineJob({
  name: 'expire-search-boosts',
  payload: Type.Object({}, { additionalProperties: false }),
  attempts: 3,
  backoffMs: 60_000,
  // One UPDATE through an index on the release date: well under a second at 100 000 entries.
  timeoutMs: 60_000,
  dedupId: () => 'expire-search-boosts',
});

export const BOOST_EXPIRY_SCHEDULER_ID = 'search-boost-expiry';
/** Hourly: the signal is worth 0.04 inside a tier, an hour late is harmless. */
export const BOOST_EXPIRY_EVERY_MS = 60 * 60 * 1000;

/** Idempotent: every worker process (or the embedded runner) may call it at start. */
export async function ensureBoostExpiryScheduler(queue: JobQueue) {
  await queue.upsertScheduler(BOOST_EXPIRY_SCHEDULER_ID, expireSearchBoostsJob, {}, BOOST_EXPIRY_EVERY_MS);
}

/** Re-creates the scheduler when Redis lost it; true when it had to. */
export async function restoreBoostExpiryScheduler(queue: JobQueue): Promise<boolean> {
  if (await queue.hasScheduler(BOOST_EXPIRY_SCHEDULER_ID, expireSearchBoostsJob)) return false;
  await ensureBoostExpiryScheduler(queue);
  return true;
}
