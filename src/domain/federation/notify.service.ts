import type { PeerRow } from '../../db/queries/federation-peers.queries';
import { FEDERATED_TYPES, type FederatedType } from '../../db/schema/federation';
import { enqueueFederationPull } from '../../jobs/federation-pull.job';
import { refused } from '../../lib/refusals';
import type { HubContext } from '../context';

/** The types a peer may read from us among those it asked for (all it may read when it named none). */
export function servedTypes(peer: PeerRow, requested: FederatedType[] | undefined): FederatedType[] {
  const allowed = (requested ?? [...FEDERATED_TYPES]).filter((type) => peer.servedTypes.includes(type));
  if (allowed.length === 0) throw refused(403, 'federation.type_not_served', `This hub does not serve ${requested?.join(', ') ?? 'any type'} to ${peer.hubId}.`);
  return allowed;
}

/**
 * A notify only makes a pull happen sooner (design: pull the log, push only hints): one pull job
 * per peer, deduplicated, so a storm of notifies is one pull. The body must name the peer that
 * signed, or one peer could make us pull another.
 */
export async function notifyFromPeer(hub: HubContext, peer: PeerRow, body: { hub: string; highWaterMark: number }) {
  if (body.hub.replace(/\/+$/, '') !== peer.hubId) {
    throw refused(403, 'federation.notify_hub_mismatch', `The notify names ${body.hub}, but ${peer.hubId} signed it.`);
  }
  if (peer.status === 'paused' || peer.status === 'revoked' || !peer.pullEnabled) return { queued: false, deduplicated: false };
  const { deduplicated } = await enqueueFederationPull(hub.queue, peer.id);
  return { queued: true, deduplicated };
}
