import { listReleaseVersions } from '../../db/queries/crawl.queries';
import { insertCrawledReleases, type ReleaseInsert } from '../../db/queries/releases.queries';
import { findRepository, findRepositoryByUrl, updateRepository, type RepositoryRow } from '../../db/queries/repositories.queries';
import { findSoftware, updateSoftware } from '../../db/queries/software.queries';
import { GitRemoteError } from '../../git/errors';
import { assertPublicHost } from '../../git/host-guard';
import { tagDate } from '../../git/objects';
import { listRemoteRefs, type RemoteRefs } from '../../git/remote-refs';
import type { ObjectStore } from '../../git/pack';
import type { JobContext } from '../../jobs/contract';
import { PermanentJobError } from '../../jobs/contract';
import { normaliseRepositoryUrl } from '../../lib/repository-url';
import type { HubContext } from '../context';
import { refreshLatestRelease } from '../releases/releases.service';
import { normaliseVersion } from '../releases/version';
import { describeFailure } from './crawl-errors';
import { enrichFromForge, type ForgeFacts } from './forge-enrichment';
import { tagUrl } from './host-urls';
import { outboundOf } from './outbound-of';
import { crawlThreads } from './crawl-threads';

export type CrawlOutcome = 'succeeded' | 'unchanged' | 'skipped';
type Progress = Pick<JobContext, 'updateProgress' | 'signal' | 'attempt' | 'maxAttempts'>;

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
  // Deleted since the job was queued: nothing to crawl, nothing to retry.
  if (!repository) return 'skipped';
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
      await updateRepository(ctx.db, repository.id, { crawlState: 'unchanged', crawlProgress: null, lastCheckedAt: new Date() });
      return 'unchanged';
    }
    await updateRepository(ctx.db, repository.id, { crawlState: 'running', crawlProgress: 10 });
    await fetchAndStore(ctx, repository, refs, job, report);
    return 'succeeded';
  } catch (error) {
    const { message, permanent, maxAttempts } = describeFailure(error);
    const final = permanent || job.attempt >= Math.min(job.maxAttempts, maxAttempts);
    await updateRepository(ctx.db, repository.id, {
      crawlState: final ? 'failed' : 'queued',
      crawlProgress: null,
      lastCheckedAt: new Date(),
      lastError: final ? message : `${message} (will retry)`,
      lastErrorAt: new Date(),
    });
    // Out of attempts for this kind of failure (a host too slow gets two): no more retries.
    if (final && !permanent && job.attempt < job.maxAttempts) throw new PermanentJobError(message);
    if (permanent) throw new PermanentJobError(message);
    throw error;
  }
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
      where: { url, hostKind: repository.hostKind, branch },
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

  const releaseRows = software ? await newReleases(ctx, { repository, url, refs, softwareId: software.id, job, filters, limits, head: store }) : [];
  await report(70);
  const forge: ForgeFacts | null = software ? await enrichFromForge(ctx, { url, hostKind: repository.hostKind, previous: software.forge, signal: job.signal }) : null;
  for (const release of releaseRows) {
    const notes = forge?.releaseNotes?.[release.tag];
    if (notes) release.row.notes = notes;
  }
  await report(90);

  const problems = [...content.problems];
  const rename = url !== repository.url ? await renameTarget(ctx, repository, url, problems) : null;
  await ctx.db.transaction(async (tx) => {
    if (software) {
      await updateSoftware(tx, software.id, {
        ...content.software,
        licence: content.licence ?? software.licence,
        ...(forge ? { forge: forge.facts } : {}),
        ...(rename ? { repositoryUrl: rename } : {}),
      });
      await insertCrawledReleases(tx, releaseRows.map((release) => release.row));
      await refreshLatestRelease(tx, software.id);
    }
    const now = new Date();
    await updateRepository(tx, repository.id, {
      ...(rename ? { url: rename, aliases: [...new Set([...repository.aliases, repository.url])] } : {}),
      defaultBranch: refs.defaultBranch,
      headCommit: refs.head,
      tagsFingerprint: refs.tagsFingerprint,
      crawlState: 'succeeded',
      crawlProgress: null,
      lastCheckedAt: now,
      lastSuccessAt: now,
      lastError: problems.length ? problems.join('; ') : null,
      lastErrorAt: problems.length ? now : null,
    });
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
): Promise<NewRelease[]> {
  const known = await listReleaseVersions(ctx.db, input.softwareId);
  const byVersion = new Map<string, { name: string; oid: string }>();
  for (const tag of input.refs.tags) {
    const version = normaliseVersion(tag.name);
    if (version === '' || known.has(version) || byVersion.has(version)) continue;
    byVersion.set(version, tag);
  }
  if (byVersion.size === 0) return [];
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
  return [...byVersion.entries()].map(([version, tag]) => ({
    tag: tag.name,
    row: {
      softwareId: input.softwareId,
      version,
      releasedAt: dateOf(tag.oid),
      url: tagUrl({ url: input.url, hostKind: input.repository.hostKind, tag: tag.name }),
      notes: null,
      source: 'crawl' as const,
    },
  }));
}
