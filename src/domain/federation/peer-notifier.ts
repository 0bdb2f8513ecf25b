import { Agent, fetch, type Dispatcher } from 'undici';
import { notifiablePeers } from '../../db/queries/federation-peers.queries';
import { highWaterMark } from '../../db/queries/federation-log.queries';
import { publicOnlyDispatcher } from '../../git/outbound';
import type { HubContext } from '../context';
import { hubId } from './descriptor';
import { signRequest } from './http-signatures';
import { CONNECT_TIMEOUT_MS, PULL_USER_AGENT } from './peer-client';

/**
 * "Pull the log, push only hints" (design): when our change log moves on, every peer we trust gets
 * one signed notify `{hub, highWaterMark}`, so it pulls within a second instead of at its next
 * scheduled pull. A notify carries no data; a lost one costs only the wait for that schedule.
 *
 * The log is watched, not the writes: API, crawler, demo load and relayed entries all append to it,
 * in whichever process they run. Every HUB_FEDERATION_NOTIFY_MS (500 ms) one `max(seq)` read; the peer list is read
 * every PEER_LIST_TTL_MS and, while it is empty, nothing else is read (a federating hub without
 * peers pays one query on a table of a few rows every five seconds; a hub with federation off has no
 * notifier at all). Started by the API entry (src/server.ts) in both modes; several API processes
 * on one database send the same hint each, and the receiver deduplicates the pull.
 */
export const PEER_LIST_TTL_MS = 5_000;
/** A notify is a hint: a peer that does not answer within this is skipped until the next change. */
export const NOTIFY_TIMEOUT_MS = 5_000;

export type PeerNotifier = { close(): Promise<void> };

export function startPeerNotifier(hub: HubContext, options: { everyMs?: number } = {}): PeerNotifier {
  const keys = hub.federationKeys;
  const everyMs = options.everyMs ?? hub.config.federationNotifyMs;
  if (!keys || everyMs === 0) return { close: async () => {} };
  const self = hubId(hub.config);
  const dispatcher: Dispatcher = hub.config.allowPrivateHosts
    ? new Agent({ connect: { timeout: CONNECT_TIMEOUT_MS } })
    : publicOnlyDispatcher(undefined, { connectTimeoutMs: CONNECT_TIMEOUT_MS });
  let peers: Awaited<ReturnType<typeof notifiablePeers>> = [];
  let peersReadAt = -Infinity;
  // Where the log stood at start: earlier changes reach peers by their schedule. Changes made while
  // we had no peers are announced once a peer appears (a hint too many is harmless).
  let notified = Infinity;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let closed = false;

  async function notify(peer: { hubId: string; baseUrl: string }, seq: number) {
    const targetUri = `${peer.baseUrl.replace(/\/+$/, '')}/federation/v1/notify`;
    const body = JSON.stringify({ hub: self, highWaterMark: seq });
    const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': PULL_USER_AGENT };
    Object.assign(headers, signRequest({ method: 'POST', targetUri, headers, body }, { key: { privateKey: keys!.active.privateKey, keyid: keys!.active.kid } }));
    const response = await fetch(targetUri, { method: 'POST', headers, body, redirect: 'manual', dispatcher, signal: AbortSignal.timeout(NOTIFY_TIMEOUT_MS) });
    await response.body?.cancel();
    if (response.status !== 202) hub.logger.debug({ peer: peer.hubId, status: response.status }, 'a peer did not accept our notify');
  }

  async function tick() {
    if (Date.now() - peersReadAt >= PEER_LIST_TTL_MS) {
      peers = await notifiablePeers(hub.db);
      peersReadAt = Date.now();
    }
    if (peers.length === 0) return;
    const seq = await highWaterMark(hub.db);
    if (seq <= notified) return;
    notified = seq;
    const results = await Promise.allSettled(peers.map((peer) => notify(peer, seq)));
    results.forEach((result, i) => {
      if (result.status === 'rejected') hub.logger.debug({ peer: peers[i]!.hubId, err: result.reason }, 'notifying a peer failed');
    });
  }

  function schedule() {
    if (closed) return;
    timer = setTimeout(() => {
      running = tick()
        .catch((err) => hub.logger.warn({ err }, 'the federation notifier could not read the change log'))
        .finally(() => {
          running = null;
          schedule();
        });
    }, everyMs);
    timer.unref();
  }
  highWaterMark(hub.db)
    .then((seq) => (notified = seq))
    .catch(() => (notified = 0))
    .finally(schedule);

  return {
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await running;
      await dispatcher.close();
    },
  };
}
