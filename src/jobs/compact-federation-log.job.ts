import { Type } from 'typebox';
import { defineJob } from './contract';
import { periodicJob } from './periodic';

/**
 * Compacts the federation change log (compactChangeLog): superseded entries go, tombstones past
 * their retention go and move the horizon. Only scheduled while federation is on.
 */
export const compactFederationLogJob = defineJob({
  name: 'compact-federation-log',
  payload: Type.Object({}, { additionalProperties: false }),
  attempts: 3,
  backoffMs: 60_000,
  // Two DELETEs through the log's (id, seq) index and a scan for old tombstones: seconds at most.
  timeoutMs: 5 * 60_000,
  dedupId: () => 'compact-federation-log',
});

export const LOG_COMPACTION_SCHEDULER_ID = 'federation-log-compaction';
/** Daily: retention is counted in days, and a peer a day behind loses nothing (it reads the latest entry of each record). */
export const LOG_COMPACTION_EVERY_MS = 24 * 60 * 60 * 1000;

const schedule = periodicJob(LOG_COMPACTION_SCHEDULER_ID, compactFederationLogJob, LOG_COMPACTION_EVERY_MS);
export const ensureLogCompactionScheduler = schedule.ensure;
export const restoreLogCompactionScheduler = schedule.restore;
