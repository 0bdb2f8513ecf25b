import { createPublicKey } from 'node:crypto';
import { calculateJwkThumbprint } from 'jose';
import { insertPeer, findPeer, listPeerKeys, listPeersWithState, updatePeer, type PeerInsert } from '../../db/queries/federation-peers.queries';
import type { AuthorityScope, FederatedType, PeerStatus } from '../../db/schema/federation';
import { outboundFetch } from '../../git/outbound';
import { NotFound } from '../../lib/errors';
import { refused } from '../../lib/refusals';
import { conflictWith } from '../../lib/refusals';
import { requireAdmin, type Principal } from '../auth/principal';
import type { HubContext } from '../context';
import { FEDERATION_BASE_PATH, FEDERATION_PROTOCOL, hubId } from './descriptor';
import { enqueueFederationPull } from '../../jobs/federation-pull.job';
import { announcedMaxPageSize } from './page';
import { announcedRetentionDays } from './tombstone-expiry';

/** 10 s for a descriptor or JWKS: two small JSON documents; a peer slower than that is not ready to federate. */
const FETCH_TIMEOUT_MS = 10_000;
/** 64 KiB: a descriptor and a JWKS of a few keys are a few hundred bytes. */
const MAX_DOCUMENT_BYTES = 64 * 1024;

type PeerKeyView = { kid: string; thumbprint: string; status: string; notAfter: string | null };
export type PeerCandidate = { hubId: string; baseUrl: string; name: string; protocol: string; keys: PeerKeyView[] };

async function fetchJson(hub: HubContext, url: string): Promise<Record<string, unknown>> {
  let response: Response;
  try {
    response = (await outboundFetch({ allowPrivateHosts: hub.config.allowPrivateHosts }, url, {
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
      headers: { accept: 'application/json' },
    })) as unknown as Response;
  } catch (error) {
    throw refused(400, 'federation.peer_unreachable', `${url} could not be fetched: ${(error as Error).message}`);
  }
  const text = await response.text();
  if (!response.ok || text.length > MAX_DOCUMENT_BYTES) throw refused(400, 'federation.peer_unreachable', `${url} answered ${response.status}${text.length > MAX_DOCUMENT_BYTES ? ' with more than 64 KiB' : ''}.`);
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw refused(400, 'federation.peer_invalid', `${url} did not answer JSON.`);
  }
}

/**
 * Fetches a peer's descriptor and JWKS and recomputes every thumbprint from the key itself (a
 * kid the JWKS merely states is not trusted). Nothing is stored: the admin compares the
 * thumbprints with the ones the peer's operator tells them out of band, then confirms.
 */
export async function inspectPeer(
  hub: HubContext,
  baseUrl: string,
): Promise<PeerCandidate & { jwks: { kid: string; publicJwk: { kty: string; crv: string; x: string }; exp?: number }[]; announced: Announced }> {
  const base = baseUrl.replace(/\/+$/, '');
  const descriptor = await fetchJson(hub, `${base}${FEDERATION_BASE_PATH}/hub`);
  const id = typeof descriptor.id === 'string' ? descriptor.id.replace(/\/+$/, '') : null;
  const protocol = typeof descriptor.protocol === 'string' ? descriptor.protocol : '';
  if (!id) throw refused(400, 'federation.peer_invalid', 'The descriptor has no id.');
  if (protocol.split('.')[0] !== FEDERATION_PROTOCOL.split('.')[0]) throw refused(400, 'federation.protocol_unsupported', `The peer speaks protocol ${protocol}; this hub speaks ${FEDERATION_PROTOCOL}.`);
  if (id === hubId(hub.config)) throw refused(400, 'federation.peer_is_self', 'That is this hub.');
  const jwks = await fetchJson(hub, `${base}${FEDERATION_BASE_PATH}/keys`);
  const keys = Array.isArray(jwks.keys) ? (jwks.keys as Record<string, unknown>[]) : [];
  const found = [];
  for (const key of keys) {
    if (key.kty !== 'OKP' || key.crv !== 'Ed25519' || typeof key.x !== 'string') continue;
    const publicJwk = { kty: 'OKP', crv: 'Ed25519', x: key.x };
    try {
      createPublicKey({ key: publicJwk, format: 'jwk' });
    } catch {
      continue;
    }
    const kid = await calculateJwkThumbprint(publicJwk, 'sha256');
    found.push({ kid, publicJwk, ...(typeof key.exp === 'number' ? { exp: key.exp } : {}) });
  }
  if (found.length === 0) throw refused(400, 'federation.peer_invalid', 'The peer publishes no Ed25519 key.');
  return {
    hubId: id,
    baseUrl: base,
    name: typeof descriptor.name === 'string' ? descriptor.name : new URL(id).host,
    protocol,
    keys: found.map((key) => ({ kid: key.kid, thumbprint: key.kid, status: 'candidate', notAfter: key.exp ? new Date(key.exp * 1000).toISOString() : null })),
    jwks: found,
    announced: announcedLimits(descriptor),
  };
}

/** What a peer's descriptor announces that we act on, validated; stored in federation_peer.descriptor when it is pinned. */
type Announced = { tombstoneRetentionDays?: number; maxPageSize?: number };

function announcedLimits(descriptor: Record<string, unknown>): Announced {
  // How long its log serves a delete: how long we keep the tombstones of its records (tombstone-expiry).
  const tombstoneRetentionDays = announcedRetentionDays(descriptor);
  // The largest page it serves: we ask for no more (snapshot and changes requests, page.ts).
  const maxPageSize = announcedMaxPageSize(descriptor);
  return { ...(tombstoneRetentionDays !== null ? { tombstoneRetentionDays } : {}), ...(maxPageSize !== null ? { maxPageSize } : {}) };
}

export type AddPeerInput = { baseUrl: string; pin?: string[] };

/** Without `pin`: a preview (nothing stored). With `pin`: the listed thumbprints, all of which the peer must publish now, are pinned. */
export async function addPeer(principal: Principal | null, hub: HubContext, input: AddPeerInput) {
  requireAdmin(principal);
  const candidate = await inspectPeer(hub, input.baseUrl);
  if (!input.pin) return { stored: false as const, peer: { ...candidate, jwks: undefined, announced: undefined } };
  const published = new Map(candidate.jwks.map((key) => [key.kid, key]));
  const missing = input.pin.filter((kid) => !published.has(kid));
  if (missing.length > 0 || input.pin.length === 0) {
    throw refused(409, 'federation.thumbprint_mismatch', `The peer does not publish ${missing.join(', ') || 'any key to pin'}; fetch the preview again and compare.`);
  }
  const existing = await findPeer(hub.db, { hubId: candidate.hubId });
  if (existing) throw conflictWith('federation.peer_exists', `${candidate.hubId} is a peer already.`, existing);
  const row = await hub.db.transaction((tx) =>
    insertPeer(
      tx,
      { hubId: candidate.hubId, baseUrl: candidate.baseUrl, name: candidate.name, descriptor: { id: candidate.hubId, protocol: candidate.protocol, ...candidate.announced } },
      input.pin!.map((kid) => {
        const key = published.get(kid)!;
        return { kid, publicJwk: key.publicJwk, status: 'pinned' as const, pinnedAt: new Date(), notAfter: key.exp ? new Date(key.exp * 1000) : null };
      }),
    ),
  );
  return { stored: true as const, peer: (await listPeers(principal, hub)).find((peer) => peer.id === row.id)! };
}

export async function listPeers(principal: Principal | null, hub: HubContext) {
  requireAdmin(principal);
  const rows = await listPeersWithState(hub.db);
  const keys = await listPeerKeys(hub.db, rows.map((row) => row.peer.id));
  return rows.map(({ peer, cursor, held }) => ({
    id: peer.id,
    hubId: peer.hubId,
    baseUrl: peer.baseUrl,
    name: peer.name,
    status: peer.status,
    statusReason: peer.statusReason,
    pullEnabled: peer.pullEnabled,
    pullIntervalSeconds: peer.pullIntervalSeconds,
    serveEnabled: peer.serveEnabled,
    acceptedTypes: peer.acceptedTypes,
    servedTypes: peer.servedTypes,
    authorityScope: peer.authorityScope,
    relayOrigins: peer.relayOrigins,
    keys: keys.filter((key) => key.peerId === peer.id).map((key) => ({ kid: key.kid, thumbprint: key.kid, status: key.status, notAfter: key.notAfter?.toISOString() ?? null })),
    lastSuccessAt: peer.lastSuccessAt?.toISOString() ?? null,
    lastFailureAt: peer.lastFailureAt?.toISOString() ?? null,
    lastError: peer.lastError,
    failureDays: peer.failureDays.length,
    highWaterMark: cursor?.highWaterMark ?? null,
    snapshotInProgress: cursor?.snapshot != null,
    counters: {
      pages: peer.pagesPulled,
      applied: peer.entriesApplied,
      skipped: peer.entriesSkipped,
      quarantined: peer.entriesQuarantined,
      quarantineHeld: Number(held ?? 0),
      deletesHeld: peer.deletesHeld,
    },
  }));
}

/** The peer an admin acts on (404 when unknown). */
export async function peerFor(principal: Principal | null, hub: HubContext, id: string) {
  requireAdmin(principal);
  const peer = await findPeer(hub.db, { id });
  if (!peer) throw new NotFound('peer', id);
  return peer;
}

async function setStatus(principal: Principal | null, hub: HubContext, id: string, status: PeerStatus, reason: string | null, allowedFrom: PeerStatus[]) {
  const peer = await peerFor(principal, hub, id);
  if (!allowedFrom.includes(peer.status)) throw refused(409, 'federation.peer_status', `A ${peer.status} peer cannot become ${status}.`);
  await updatePeer(hub.db, peer.id, { status, statusReason: reason });
  return (await listPeers(principal, hub)).find((row) => row.id === peer.id)!;
}

export const pausePeer = (principal: Principal | null, hub: HubContext, id: string) =>
  setStatus(principal, hub, id, 'paused', 'paused by an admin', ['active', 'degraded', 'quarantined', 'paused']);
export const resumePeer = (principal: Principal | null, hub: HubContext, id: string) =>
  setStatus(principal, hub, id, 'active', null, ['paused', 'degraded', 'quarantined', 'active']);
/** Final: a revoked peer's signatures are refused at once; adding it again starts over with new pins. */
export const revokePeer = (principal: Principal | null, hub: HubContext, id: string) =>
  setStatus(principal, hub, id, 'revoked', 'revoked by an admin', ['active', 'degraded', 'paused', 'quarantined', 'revoked']);

export type PeerSettings = Partial<{
  pullEnabled: boolean;
  pullIntervalSeconds: number;
  serveEnabled: boolean;
  acceptedTypes: FederatedType[];
  servedTypes: FederatedType[];
  authorityScope: AuthorityScope;
  relayOrigins: string[];
}>;

export async function changePeer(principal: Principal | null, hub: HubContext, id: string, settings: PeerSettings) {
  const peer = await peerFor(principal, hub, id);
  const values: Partial<PeerInsert> = { ...settings };
  if (settings.relayOrigins) values.relayOrigins = settings.relayOrigins.map((origin) => origin.replace(/\/+$/, ''));
  await updatePeer(hub.db, peer.id, values);
  return (await listPeers(principal, hub)).find((row) => row.id === peer.id)!;
}

/** "Sync now": one deduplicated pull job, as a notify would queue. */
export async function syncPeer(principal: Principal | null, hub: HubContext, id: string) {
  const peer = await peerFor(principal, hub, id);
  if (peer.status === 'revoked') throw refused(409, 'federation.peer_status', 'A revoked peer is not pulled.');
  const { deduplicated } = await enqueueFederationPull(hub.queue, peer.id);
  return { queued: true, deduplicated };
}
