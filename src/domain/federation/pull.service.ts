import type { HubContext } from '../context';
import {
  findCursor,
  findPeer,
  recordPullFailure,
  recordPullSuccess,
  pausePulledPeer,
  type PeerRow,
} from '../../db/queries/federation-pull.queries';
import { applyPage, positionOf, type PageCounts, type PageEntry } from './apply-page.service';
import { hubId } from './descriptor';
import { createPeerClient, type PeerAnswer, type PeerClient, type PeerTarget } from './peer-client';
import { PeerFailure } from './peer-failure';
import { loadKeyRing, type KeyRing } from './peer-keyring';
import { changesPageLimit, sized } from './page';
import { snapshotStep, SNAPSHOT_TYPES } from './snapshot.service';
import { queuedSearchBuilder } from '../search/queued-build';

/**
 * One pull of one peer (design: "Scheduling"): pages of its change feed from our cursor until it
 * has no more or the job's deadline, each page applied with its cursor in one transaction.
 * No cursor yet, or a 410 for ours: a resync by snapshot first. The job handler re-enqueues while
 * `hasMore`, so one job never holds a worker for long and other peers get their turn.
 */

/** Stop taking new pages after 60 s and let the next job go on: bounded jobs, no starved peers. */
export const PULL_DEADLINE_MS = 60_000;
/**
 * Failed pulls on three distinct days make a peer `degraded` (pulled four times less often): a
 * peer down for a weekend should not cost us a pull every five minutes, and one bad afternoon
 * should not mark it.
 */
export const DEGRADE_AFTER_DAYS = 3;

export type PullOutcome = {
  pages: number;
  counts: PageCounts;
  /** The feed has more after the deadline: pull again at once. */
  hasMore: boolean;
  /** Why nothing (more) was pulled: the peer is paused, revoked, not pulled, or another pull holds it. */
  stopped: string | null;
};

type PullOptions = { signal?: AbortSignal; deadlineMs?: number; client?: PeerClient; now?: () => Date };

export async function pullPeer(hub: HubContext, peerId: string, options: PullOptions = {}): Promise<PullOutcome> {
  const outcome: PullOutcome = { pages: 0, counts: { applied: 0, skipped: 0, quarantined: 0 }, hasMore: false, stopped: null };
  const keysOfHub = hub.federationKeys;
  if (!keysOfHub) return { ...outcome, stopped: 'federation is off' };
  const peer = await findPeer(hub.db, peerId);
  if (!peer) return { ...outcome, stopped: 'no such peer' };
  if (!peer.pullEnabled || !['active', 'degraded'].includes(peer.status)) return { ...outcome, stopped: `peer is ${peer.pullEnabled ? peer.status : 'not pulled'}` };
  const now = options.now ?? (() => new Date());
  const keys = await loadKeyRing(hub.db, peer);
  const client =
    options.client ??
    createPeerClient({
      signingKey: { privateKey: keysOfHub.active.privateKey, keyid: keysOfHub.active.kid },
      allowPrivateHosts: hub.config.allowPrivateHosts,
      maxBytes: peer.maxPageBytes,
    });
  const target: PeerTarget = { baseUrl: peer.baseUrl, keyFor: (keyid) => keys.peerKey(keyid) };
  const context: PullContext = { hub, self: hubId(hub.config), peer, keys, client, target, signal: options.signal, now };
  const deadline = Date.now() + (options.deadlineMs ?? PULL_DEADLINE_MS);
  // Search documents of snapshot pages are built after their software and reuses (migration 0024).
  // Several builders only where the database has several connections (PostgreSQL's pool).
  const search = queuedSearchBuilder(hub.db, { workers: hub.databasePool ? 2 : 1, deadline, signal: options.signal });
  try {
    for (;;) {
      if (options.signal?.aborted) throw new PeerFailure('aborted', 'the pull was aborted');
      const step = await pullStep(context);
      if (step.kind === 'stopped') return { ...outcome, stopped: step.reason, hasMore: await search.finish() };
      outcome.pages++;
      outcome.counts.applied += step.counts.applied;
      outcome.counts.skipped += step.counts.skipped;
      outcome.counts.quarantined += step.counts.quarantined;
      if (step.documentsFinal) search.startAlongside();
      if (step.paused) return { ...outcome, stopped: step.paused, hasMore: await search.finish() };
      if (!step.hasMore) break;
      if (Date.now() >= deadline) {
        await search.finish();
        return { ...outcome, hasMore: true };
      }
    }
    // Entries still queued at the deadline: the next job goes on building them.
    if (await search.finish()) return { ...outcome, hasMore: true };
    await recordPullSuccess(hub.db, peer.id, now());
    return outcome;
  } catch (error) {
    await search.settle();
    if (error instanceof PeerFailure && error.kind !== 'rate-limited' && error.kind !== 'aborted') {
      await recordPullFailure(hub.db, peer.id, { at: now(), error: `${error.code}: ${error.message}`, degradeAfterDays: DEGRADE_AFTER_DAYS });
      if (error.pausesPeer) await pausePulledPeer(hub.db, peer.id, `${error.code}: ${error.message}`);
    }
    throw error;
  } finally {
    if (!options.client) await client.close();
  }
}

export type PullContext = {
  hub: HubContext;
  self: string;
  peer: PeerRow;
  keys: KeyRing;
  client: PeerClient;
  target: PeerTarget;
  signal?: AbortSignal;
  now: () => Date;
  /** The snapshot page requested ahead while the one before it is applied (snapshot.service). */
  snapshotAhead?: { key: string; answer: Promise<PeerAnswer> };
};

export type StepResult =
  /** documentsFinal: the records search documents are made of (software, reuses) are all applied, or none of this step's are deferred. */
  | { kind: 'page'; counts: PageCounts; hasMore: boolean; paused: string | null; documentsFinal: boolean }
  | { kind: 'stopped'; reason: string };

/** One request and its page: a snapshot page while a resync runs, otherwise a page of changes. */
async function pullStep(context: PullContext): Promise<StepResult> {
  const cursor = await findCursor(context.hub.db, context.peer.id);
  if (cursor?.snapshot || !cursor?.cursor) return snapshotStep(context, cursor);
  const query = new URLSearchParams({ since: cursor.cursor, limit: String(changesPageLimit(context.peer.descriptor)), types: context.peer.acceptedTypes.join(',') });
  const answer = await context.client.get(context.target, `/federation/v1/changes?${query}`, { ifNoneMatch: cursor.etag, signal: context.signal });
  if (answer.status === 410) {
    // Our cursor is past the peer's retention horizon or from an earlier epoch: resync.
    return snapshotStep(context, { ...cursor, snapshot: { type: SNAPSHOT_TYPES[0], after: null, asOf: null, startedAt: null } }, positionOf(cursor));
  }
  if (answer.status === 304) return { kind: 'page', counts: { applied: 0, skipped: 0, quarantined: 0 }, hasMore: false, paused: null, documentsFinal: true };
  const page = parseChangesPage(answer.body);
  if (cursor.logEpoch && page.logEpoch !== cursor.logEpoch) {
    // Another epoch means the peer rebuilt its log: our seqs mean nothing there. Resync.
    return snapshotStep(context, { ...cursor, snapshot: { type: SNAPSHOT_TYPES[0], after: null, asOf: null, startedAt: null } }, positionOf(cursor));
  }
  const result = await applyPage(context.hub.db, {
    self: context.self,
    peer: context.peer,
    keys: context.keys,
    entries: page.entries,
    expectedPosition: positionOf(cursor),
    next: { cursor: page.next, logEpoch: page.logEpoch, highWaterMark: page.highWaterMark, snapshot: null, etag: answer.etag },
    now: context.now(),
  });
  if (result.outcome === 'raced') return { kind: 'stopped', reason: 'another pull of this peer moved the cursor' };
  if (result.outcome === 'stopped') return { kind: 'stopped', reason: result.reason };
  if (result.outcome === 'paused') throw new PeerFailure('rollback', result.reason);
  return { kind: 'page', counts: result.counts, hasMore: page.hasMore && page.entries.length > 0, paused: result.paused, documentsFinal: true };
}

export type ChangesPage = { entries: PageEntry[]; next: string; hasMore: boolean; highWaterMark: number; logEpoch: string };

/** The page's frame; entries are checked one by one later (one bad entry is quarantined, not the page). */
export function parseChangesPage(body: unknown): ChangesPage {
  const page = body as Record<string, unknown> | null;
  const highWaterMark = Number(page?.highWaterMark);
  if (
    !page ||
    !Array.isArray(page.entries) ||
    typeof page.next !== 'string' ||
    typeof page.hasMore !== 'boolean' ||
    !Number.isSafeInteger(highWaterMark) ||
    typeof page.logEpoch !== 'string'
  ) {
    throw new PeerFailure('bad-page', 'the change page lacks entries, next, hasMore, highWaterMark or logEpoch');
  }
  return { entries: sized(page.entries), next: page.next, hasMore: page.hasMore, highWaterMark, logEpoch: page.logEpoch };
}

