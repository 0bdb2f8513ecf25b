import { Type } from 'typebox';
import { defineJob } from './contract';
import { periodicJob } from './periodic';

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

/** Idempotent `ensure` (every worker process or the embedded runner calls it at start) and `restore` (Redis lost it). */
const schedule = periodicJob(BOOST_EXPIRY_SCHEDULER_ID, expireSearchBoostsJob, BOOST_EXPIRY_EVERY_MS);
export const ensureBoostExpiryScheduler = schedule.ensure;
export const restoreBoostExpiryScheduler = schedule.restore;
