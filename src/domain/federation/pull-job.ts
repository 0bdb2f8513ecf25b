import { pullablePeers } from '../../db/queries/federation-pull.queries';
import type { JobContext } from '../../jobs/contract';
import { federationPullJob, schedulePull } from '../../jobs/federation-pull.job';
import type { HubContext } from '../context';
import { PeerFailure } from './peer-failure';
import { pullPeer } from './pull.service';

/** A degraded peer is pulled this many times less often (design: "pulled less often"). */
export const DEGRADED_SLOWDOWN = 4;
/** Retry-After is honoured up to an hour: a peer cannot park our pulls for days by asking. */
const MAX_RETRY_AFTER_MS = 60 * 60_000;

/**
 * The federation-pull job, for both runners (BullMQ workers and the embedded in-process queue).
 * More pages than one job's deadline allows: the next job is enqueued at once. 429/503 with
 * Retry-After: the pull is enqueued again after that delay and this job ends as done, so the wait
 * spends no attempt. Everything else is thrown; PeerFailure's `permanent` (401/403, an unknown
 * protocol, a rollback) tells the runner not to retry.
 */
export async function runPullJob(hub: HubContext, peerId: string, job: Pick<JobContext, 'signal'>): Promise<void> {
  try {
    const outcome = await pullPeer(hub, peerId, { signal: job.signal });
    if (outcome.hasMore) await hub.queue.enqueue(federationPullJob, { peerId, reason: 'more' });
    if (outcome.stopped) hub.logger.info({ peerId, stopped: outcome.stopped }, 'federation pull stopped');
  } catch (error) {
    if (error instanceof PeerFailure && error.kind === 'rate-limited') {
      const delayMs = Math.min(MAX_RETRY_AFTER_MS, error.retryAfterMs ?? federationPullJob.backoffMs);
      await hub.queue.enqueue(federationPullJob, { peerId, reason: 'retry-after' }, { delayMs, deduplicate: false });
      hub.logger.info({ peerId, delayMs }, 'federation peer asked to wait (Retry-After)');
      return;
    }
    throw error;
  }
}

/** One job scheduler per pullable peer; idempotent (start of embedded mode, worker upkeep, peer changes). */
export async function ensurePullSchedulers(hub: HubContext): Promise<number> {
  if (!hub.federationKeys) return 0;
  const peers = await pullablePeers(hub.db);
  for (const peer of peers) {
    const everyMs = peer.pullIntervalSeconds * 1000 * (peer.status === 'degraded' ? DEGRADED_SLOWDOWN : 1);
    await schedulePull(hub.queue, { id: peer.id, hubId: peer.hubId, everyMs });
  }
  return peers.length;
}
