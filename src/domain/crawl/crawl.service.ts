import { listReleaseVersions } from '../../db/queries/crawl.queries';
import { deleteCrawledReleases, insertCrawledReleases, type ReleaseInsert } from '../../db/queries/releases.queries';
import { findRepository, findRepositoryByUrl, lockRepository, updateRepository, type RepositoryRow } from '../../db/queries/repositories.queries';
import { findSoftware, updateSoftware } from '../../db/queries/software.queries';
import { replaceDiscoveredItems } from '../../db/queries/transfer-items.queries';
import { GitRemoteError } from '../../git/errors';
import { assertPublicHost } from '../../git/host-guard';
import { tagDate, tagMessage } from '../../git/objects';
import { listRemoteRefs, type RemoteRefs } from '../../git/remote-refs';
import type { ObjectStore } from '../../git/pack';
import type { JobContext } from '../../jobs/contract';
import { PermanentJobError } from '../../jobs/contract';
import { normaliseRepositoryUrl } from '../../lib/repository-url';
import type { HubContext } from '../context';
import { announceRelease, refreshLatestRelease, releaseView } from '../releases/releases.service';
import { announceFailure, announceRecovery } from './crawl-events';
import { isPlausibleVersion, normaliseVersion } from '../releases/version';
import { failureMessage } from './crawl-errors';
import { jobFailure } from '../../jobs/failure';
import { enrichFromForge, type ForgeFacts } from './forge-enrichment';
import { tagUrl } from './host-urls';
import { outboundOf } from './outbound-of';
import { crawlThreads } from './crawl-threads';

export type CrawlOutcome = 'succeeded' | 'unchanged' | 'skipped';
type Progress = Pick<JobContext, 'updateProgress' | 'signal' | 'attempt' | 'maxAttempts'> & {
  /** When the crawl was asked for (refresh, webhook, registration); unknown for older jobs. */
  requestedAt?: Date;
};

/**
 * Failed crawls in a row (each after its own retries over ~15 minutes) before the scheduled
 * refresh stops: with the daily refresh, five days of a host that does not answer.
 */
export const FAILURES_BEFORE_PAUSE = 5;

/**
 * One crawl of one repository. Asks the remote for its refs first; when the default
 * branch head and the tags are what the last successful crawl saw, the crawl ends as
 * "unchanged" having written only the check time. Otherwise it fetches the head commit
 * (depth 1, in memory), reads README, licence and publiccode.yml, turns new tags into
 * releases, and writes everything in one transaction: a crawl killed half-way leaves
 * the previous state, and a retried crawl writes the same rows again (upserts).
 */
export async function crawlRepository(ctx: HubContext, repositoryId: string, job: Progress): Promise<CrawlOutcome> {
  const repository = await findRepository(ctx.db, repositoryId);
  // Deleted since the job was queued, or paused (a scheduled crawl queued before the pause): nothing to do.
  if (!repository || repository.pausedReason !== null) return 'skipped';
  const report = async (percent: number) => {
    await job.updateProgress(percent);
    await updateRepository(ctx.db, repository.id, { crawlProgress: percent });
  };
  try {
    await assertPublicHost(repository.url, ctx.config.allowPrivateHosts);
    const refs = await listRemoteRefs(repository.url, { signal: job.signal, outbound: outboundOf(ctx), timeoutMs: ctx.config.crawlRefsTimeoutMs });
    if (refs.head === null) throw new GitRemoteError('not-found', 'the repository is empty (no commits on the default branch)');
    const unchanged =
      repository.headCommit === refs.head && repository.tagsFingerprint === refs.tagsFingerprint && refs.redirectedFrom === null;
    if (unchanged) {
      await ctx.db.transaction(async (tx) => {
        const stored = await updateRepository(tx, repository.id, {
          crawlState: answeredMeanwhile(repository, job.requestedAt) ? 'succeeded' : 'unchanged',
          crawlProgress: null,
          lastCheckedAt: new Date(),
          consecutiveFailures: 0,
        });
        if (stored) await announceRecovery(tx, repository);
      });
      return 'unchanged';
    }
    await updateRepository(ctx.db, repository.id, { crawlState: 'running', crawlProgress: 10 });
    await fetchAndStore(ctx, repository, refs, job, report);
    return 'succeeded';
  } catch (error) {
    const message = failureMessage(error);
    const { retry, permanent } = jobFailure(error, job);
    const final = !retry;
    await ctx.db.transaction(async (tx) => {
      // Counted on the row as it is now: another crawl of the repository (a webhook's, a manual
      // refresh) may have ended while this one ran, and the software may have been deactivated.
      const current = await lockRepository(tx, repository.id);
      if (!current) return;
      const state = failureState(current, { message, permanent, final });
      await updateRepository(tx, repository.id, { crawlProgress: null, lastCheckedAt: new Date(), lastErrorAt: new Date(), ...state });
      if (final) await announceFailure(tx, current, { message, paused: 'pausedReason' in state });
    });
    // The runner asks jobFailure again and gets the same answer; the message is the repository's.
    if (!retry) throw new PermanentJobError(message);
    throw error;
  }
}

/**
 * The state a failed attempt leaves. A crawl that ends failed counts; after FAILURES_BEFORE_PAUSE
 * in a row, or a permanent failure of a URL that never worked (not found, refused, not git),
 * the scheduled refresh stops until a manual refresh or a webhook.
 */
function failureState(repository: RepositoryRow, failure: { message: string; permanent: boolean; final: boolean }) {
  if (!failure.final) return { crawlState: 'queued' as const, lastError: `${failure.message} (will retry)` };
  const consecutiveFailures = repository.consecutiveFailures + 1;
  // A repository paused already keeps its reason (a deactivated software's is lifted when it is reactivated).
  const pause =
    repository.pausedReason === null && (consecutiveFailures >= FAILURES_BEFORE_PAUSE || (failure.permanent && repository.lastSuccessAt === null));
  return {
    crawlState: 'failed' as const,
    lastError: failure.message,
    consecutiveFailures,
    ...(pause ? { pausedReason: 'repeated-failures' as const, pausedAt: new Date() } : {}),
  };
}

/**
 * A refresh asked for while another crawl of the repository ran waits for it (deduplicated), then
 * finds nothing new: the running crawl already took the new tag. Its request was answered by that
 * crawl, so the state stays the "succeeded" that crawl wrote rather than saying "unchanged" about
 * a repository whose release just arrived.
 */
function answeredMeanwhile(repository: RepositoryRow, requestedAt: Date | undefined): boolean {
  return (
    requestedAt !== undefined &&
    repository.crawlState === 'succeeded' &&
    repository.lastSuccessAt !== null &&
    repository.lastSuccessAt.getTime() >= requestedAt.getTime()
  );
}

async function fetchAndStore(
  ctx: HubContext,
  repository: RepositoryRow,
  refs: RemoteRefs,
  job: Progress,
  report: (percent: number) => Promise<void>,
) {
  const limits = { maxPackBytes: ctx.config.crawlMaxPackBytes, maxBlobBytes: ctx.config.crawlMaxBlobBytes };
  const filters = refs.fetchFeatures.has('filter');
  const url = renamedUrl(refs) ?? repository.url;
  const branch = refs.defaultBranch ?? 'HEAD';
  const { content, commit } = await crawlThreads(ctx.config).readHead(
    {
      where: { url, hostKind: repository.hostKind, branch, commit: refs.head! },
      gitUrl: refs.gitUrl,
      head: refs.head!,
      limits,
      protocolVersion: refs.protocolVersion,
      features: refs.fetchFeatures,
      outbound: outboundOf(ctx),
      pace: paceOf(ctx),
    },
    job.signal,
  );
  const store: ObjectStore = { objects: new Map([[refs.head!, commit]]), oversized: new Map() };
  await report(40);
  const software = repository.softwareId ? await findSoftware(ctx.db, { id: repository.softwareId }) : null;

  const { releases: releaseRows, notVersions, stale } = software
    ? await newReleases(ctx, { repository, url, refs, softwareId: software.id, job, filters, limits, head: store })
    : { releases: [], notVersions: [], stale: [] };
  await report(70);
  const forge: ForgeFacts | null = software ? await enrichFromForge(ctx, { url, hostKind: repository.hostKind, previous: software.forge, signal: job.signal }) : null;
  for (const release of releaseRows) {
    const notes = forge?.releaseNotes?.[release.tag];
    if (notes) release.row.notes = notes;
  }
  await report(90);

  const problems = [...content.problems, ...(notVersions.length ? [notVersionsProblem(notVersions)] : [])];
  const rename = url !== repository.url ? await renameTarget(ctx, repository, url, problems) : null;
  await ctx.db.transaction(async (tx) => {
    // The repository first: removed meanwhile (its row gone), the crawl writes nothing at all.
    const now = new Date();
    const stored = await updateRepository(tx, repository.id, {
      ...(rename ? { url: rename, aliases: [...new Set([...repository.aliases, repository.url])] } : {}),
      defaultBranch: refs.defaultBranch,
      headCommit: refs.head,
      headCommittedAt: tagDate(store, refs.head!),
      tagsFingerprint: refs.tagsFingerprint,
      crawlState: 'succeeded',
      crawlProgress: null,
      lastCheckedAt: now,
      lastSuccessAt: now,
      lastError: problems.length ? problems.join('; ') : null,
      lastErrorAt: problems.length ? now : null,
      consecutiveFailures: 0,
    });
    if (stored && software) {
      await updateSoftware(tx, software.id, {
        ...content.software,
        // Only a licence the crawl found: `software` was read before the fetches and the forge
        // requests, and the owner may have set the licence meanwhile.
        ...(content.licence ? { licence: content.licence } : {}),
        ...(forge ? { forge: forge.facts } : {}),
        ...(rename ? { repositoryUrl: rename } : {}),
        // The first successful crawl makes a registered URL a catalogue entry.
        listed: true,
      });
      await deleteCrawledReleases(tx, { softwareId: software.id, versions: stale });
      const inserted = await insertCrawledReleases(tx, releaseRows.map((release) => release.row));
      await refreshLatestRelease(tx, software.id);
      await replaceDiscoveredItems(tx, {
        softwareId: software.id,
        repositoryId: repository.id,
        items: content.transfer.map((item) => ({ ...item, lastCheckedOn: now.toISOString().slice(0, 10) })),
      });
      // The first crawl imports the project's history: those tags are not news to announce.
      if (repository.lastSuccessAt !== null) for (const row of inserted) await announceRelease(tx, software, releaseView(row));
    }
    if (stored) await announceRecovery(tx, repository);
  });
}

/** How fast a host must send once it had time to start (config: HUB_CRAWL_MIN_RATE_KB, HUB_CRAWL_GRACE_SECONDS). */
function paceOf(ctx: HubContext) {
  return { graceMs: ctx.config.crawlGraceMs, minBytesPerSecond: ctx.config.crawlMinBytesPerSecond };
}

function renamedUrl(refs: RemoteRefs): string | null {
  if (refs.redirectedFrom === null) return null;
  try {
    return normaliseRepositoryUrl(refs.url);
  } catch {
    return null;
  }
}

/** A rename is followed unless the new URL already belongs to another entry (then both stay as they are). */
async function renameTarget(ctx: HubContext, repository: RepositoryRow, url: string, problems: string[]) {
  const other = await findRepositoryByUrl(ctx.db, url);
  if (other && other.id !== repository.id) {
    problems.push(`the repository moved to ${url}, which is registered separately`);
    return null;
  }
  return url;
}

type NewRelease = { tag: string; row: ReleaseInsert };

/** Tag names quoted in the crawl's notes only when they are plain (a name with markup is only counted). */
const PLAIN_TAG = /^[\w.+-]{1,40}$/;

function notVersionsProblem(names: string[]): string {
  const examples = names.filter((name) => PLAIN_TAG.test(name)).slice(0, 3).map((name) => `"${name}"`);
  const count = names.length === 1 ? '1 tag is not a version number and was' : `${names.length} tags are not version numbers and were`;
  return `${count} not taken as releases${examples.length ? ` (e.g. ${examples.join(', ')})` : ''}`;
}

/**
 * Tags not yet known as releases, with their dates. The tag objects and commits come in
 * one more fetch without trees or blobs (`tree:0`) when the host supports filters.
 */
async function newReleases(
  ctx: HubContext,
  input: {
    repository: RepositoryRow;
    url: string;
    refs: RemoteRefs;
    softwareId: string;
    job: Progress;
    filters: boolean;
    limits: { maxPackBytes: number; maxBlobBytes: number };
    /** The head fetch: tags on the head commit need no second fetch. */
    head: ObjectStore;
  },
): Promise<{ releases: NewRelease[]; notVersions: string[]; stale: string[] }> {
  const known = await listReleaseVersions(ctx.db, input.softwareId);
  // Releases an older hub made from tags that are not versions (markup among them); only crawled ones go.
  const stale = [...known].filter((version) => !isPlausibleVersion(version));
  const byVersion = new Map<string, { name: string; oid: string }>();
  const notVersions: string[] = [];
  for (const tag of input.refs.tags) {
    const version = normaliseVersion(tag.name);
    if (!isPlausibleVersion(version)) notVersions.push(tag.name);
    else if (!known.has(version) && !byVersion.has(version)) byVersion.set(version, tag);
  }
  if (byVersion.size === 0) return { releases: [], notVersions, stale };
  const missing = [...byVersion.values()].map((tag) => tag.oid).filter((oid) => !input.head.objects.has(oid));
  // Commits and tag objects only: a host without filters also sends the tagged trees and blobs.
  const store = missing.length === 0 ? input.head : await crawlThreads(ctx.config).objects({
    gitUrl: input.refs.gitUrl,
    wants: missing,
    depth: 1,
    filter: input.filters ? 'tree:0' : null,
    limits: input.limits,
    protocolVersion: input.refs.protocolVersion,
    features: input.refs.fetchFeatures,
    outbound: outboundOf(ctx),
    pace: paceOf(ctx),
  }, ['commit', 'tag'], input.job.signal);
  const dateOf = (oid: string) => tagDate(store, oid) ?? tagDate(input.head, oid);
  const notesOf = (tag: { name: string; oid: string }, version: string) => releaseNotes(tagMessage(store, tag.oid) ?? tagMessage(input.head, tag.oid), version);
  const releases = [...byVersion.entries()].map(([version, tag]) => ({
    tag: tag.name,
    row: {
      softwareId: input.softwareId,
      version,
      releasedAt: dateOf(tag.oid),
      url: tagUrl({ url: input.url, hostKind: input.repository.hostKind, tag: tag.name }),
      notes: notesOf(tag, version),
      source: 'crawl' as const,
    },
  }));
  return { releases, notVersions, stale };
}

/**
 * An annotated tag's message is the release notes most projects write. A message that only
 * repeats the version ("v1.2.0", "Version 1.2.0", what `git tag -a -m` habits produce) says nothing.
 * Notes from the forge's release page replace it (fetchAndStore), notes a pipeline pushes win over both.
 */
function releaseNotes(message: string | null, version: string): string | null {
  if (message === null) return null;
  const bare = message.replace(/^(version|release|v)\s*/i, '').replace(/^v/i, '');
  return bare === version ? null : message;
}
