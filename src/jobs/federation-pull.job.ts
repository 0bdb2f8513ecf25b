import { Type } from 'typebox';
import { defineJob, type JobQueue } from './contract';

/**
 * Pulls one peer's change feed (or snapshot) from its cursor: the processor is the pulling side's
 * (issue 15). Producers: a peer's signed notify, an admin's "sync now", and the per-peer job
 * scheduler. One pull per peer waits at a time (deduplicated by peer), so a notify storm is one pull.
 */
export const federationPullJob = defineJob({
  name: 'federation-pull',
  payload: Type.Object({ peerId: Type.String({ format: 'uuid' }) }, { additionalProperties: false }),
  attempts: 5,
  // 30 s doubling: a peer that restarts is back within a minute or two.
  backoffMs: 30_000,
  // Bounded pages and a deadline per job; a pull with more to do re-enqueues itself.
  timeoutMs: 2 * 60_000,
  dedupId: (payload) => `federation-pull:${payload.peerId}`,
});

export function enqueueFederationPull(queue: JobQueue, peerId: string) {
  return queue.enqueue(federationPullJob, { peerId });
}
