import { Type } from 'typebox';
import { defineJob, type JobQueue } from './contract';

/**
 * Pull one peer's change feed (design: "Scheduling"). Produced by the peer's job scheduler, by a
 * signed notify and by an admin's "sync now"; deduplicated per peer, so a notify storm while a
 * pull waits adds nothing and one arriving during a pull leads to exactly one more.
 */
export const federationPullJob = defineJob({
  name: 'federation-pull',
  payload: Type.Object(
    {
      peerId: Type.String({ format: 'uuid' }),
      reason: Type.Optional(Type.Union([Type.Literal('schedule'), Type.Literal('notify'), Type.Literal('manual'), Type.Literal('more'), Type.Literal('retry-after')])),
    },
    { additionalProperties: false },
  ),
  // 5 attempts with 30 s doubling ride out a peer restart or a short outage (~15 minutes); after
  // that the schedule's next round tries again, and failures on distinct days degrade the peer.
  attempts: 5,
  backoffMs: 30_000,
  // A pull stops taking pages after 60 s (PULL_DEADLINE_MS) and one page is bounded by the client's
  // 5 + 10 + 15 s; 3 minutes means something hangs.
  timeoutMs: 3 * 60_000,
  dedupId: (payload) => `pull:${payload.peerId}`,
});

/** The scheduler of one peer, named by its hub id as the design says. */
export function pullSchedulerId(peerHubId: string): string {
  return `pull:${peerHubId}`;
}

export async function schedulePull(queue: JobQueue, peer: { id: string; hubId: string; everyMs: number }): Promise<void> {
  await queue.upsertScheduler(pullSchedulerId(peer.hubId), federationPullJob, { peerId: peer.id, reason: 'schedule' }, peer.everyMs);
}

/** A notify or an admin's "sync now": one deduplicated pull of the peer. */
export function enqueueFederationPull(queue: JobQueue, peerId: string, reason: 'notify' | 'manual' = 'manual') {
  return queue.enqueue(federationPullJob, { peerId, reason });
}
