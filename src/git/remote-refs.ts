import { createHash } from 'node:crypto';
import git from 'isomorphic-git';
import { GitRemoteError, httpFailure } from './errors';
import { createHttpClient, networkFailure, type Observed } from './http-client';
import type { Outbound } from './outbound';
import { parseV1Capabilities, parseV2Capabilities } from './pkt-line';

export type RemoteTag = { name: string; oid: string; /** The commit an annotated tag points to. */ peeled: string | null };

export type RemoteRefs = {
  /** Where the remote lives now: differs from the asked URL after a rename (HTTP redirect). */
  url: string;
  redirectedFrom: string | null;
  /** The URL git requests go to (with or without `.git`, after redirects). */
  gitUrl: string;
  defaultBranch: string | null;
  head: string | null;
  tags: RemoteTag[];
  /** Fingerprint of the tag list: equal fingerprints mean no tag was added, moved or removed. */
  tagsFingerprint: string;
  protocolVersion: 1 | 2;
  /** What a fetch may ask for: protocol v2 `fetch` features or v0/v1 capabilities ("shallow", "filter", "side-band-64k" …). */
  fetchFeatures: Set<string>;
};

/** A remote's ref list is small; 8 MiB holds ~100 000 refs and stops a hostile endless answer. */
const MAX_REFS_BYTES = 8 * 1024 * 1024;

export function fingerprintTags(tags: RemoteTag[]): string {
  const lines = tags.map((t) => `${t.name} ${t.oid}`).sort();
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}

function mapIsomorphicError(error: unknown, signal?: AbortSignal): GitRemoteError {
  if (error instanceof GitRemoteError) return error;
  const e = error as { code?: string; data?: { statusCode?: number } };
  if (e.code === 'HttpError' && e.data?.statusCode) return httpFailure(e.data.statusCode);
  if (e.code === 'SmartHttpError' || e.code === 'ParseError' || e.code === 'UnknownTransportError') {
    return new GitRemoteError('not-git', 'not a git repository (the host does not answer as a git server)');
  }
  return networkFailure(error, signal);
}

/**
 * Asks a remote for its default branch, head commit and tags in two requests (the
 * protocol v2 advertisement and `ls-refs`), without fetching any object. This is all an
 * unchanged re-crawl needs.
 */
export async function listRemoteRefs(url: string, options: RefsOptions): Promise<RemoteRefs> {
  // The ref list is small: a host that has not sent it within the limit is stalling (or
  // dribbling), and the crawl's own, longer limit is kept for the fetch.
  const limit = new AbortController();
  const timer = options.timeoutMs
    ? setTimeout(() => limit.abort(new GitRemoteError('slow', `the host did not list its refs within ${Math.round(options.timeoutMs! / 1000)} s`)), options.timeoutMs)
    : null;
  const signal = options.signal ? AbortSignal.any([options.signal, limit.signal]) : limit.signal;
  const inner = { ...options, signal };
  // Forges answer with and without `.git`; plain git servers mostly need it, a few serve the bare path.
  try {
    return await listRefsAt(url, `${url}.git`, inner);
  } catch (error) {
    if (error instanceof GitRemoteError && error.kind === 'not-found') return listRefsAt(url, url, inner);
    throw error;
  } finally {
    if (timer) clearTimeout(timer);
  }
}

export type RefsOptions = {
  signal?: AbortSignal;
  outbound: Outbound;
  /** Total time for the advertisement and `ls-refs` together. */
  timeoutMs?: number;
};

/**
 * Capability advertisements by git URL. They change only when the host upgrades git,
 * so a worker reuses them and a re-crawl costs one request (`ls-refs`) instead of two;
 * on any failure the crawl asks again uncached (which also catches renames: redirects
 * show on the advertisement request). Bounded: oldest entries go first.
 */
const advertisements = new Map<string, Buffer>();
const MAX_CACHED_ADVERTISEMENTS = 10_000;

async function listRefsAt(url: string, gitUrl: string, options: { signal?: AbortSignal; outbound: Outbound }): Promise<RemoteRefs> {
  const cached = advertisements.get(gitUrl);
  if (cached) {
    try {
      return await listRefsOnce(url, gitUrl, options, cached);
    } catch {
      advertisements.delete(gitUrl);
    }
  }
  return listRefsOnce(url, gitUrl, options, null);
}

async function listRefsOnce(url: string, gitUrl: string, options: { signal?: AbortSignal; outbound: Outbound }, cached: Buffer | null): Promise<RemoteRefs> {
  const { signal, outbound } = options;
  const observed: Observed = { finalUrl: null, advertisement: null, cachedAdvertisement: cached ?? undefined };
  const http = createHttpClient({ signal, observed, maxBytes: MAX_REFS_BYTES, outbound });
  let refs: Awaited<ReturnType<typeof git.listServerRefs>>;
  try {
    refs = await git.listServerRefs({ http, url: gitUrl, protocolVersion: 2, symrefs: true, peelTags: true });
  } catch (error) {
    throw mapIsomorphicError(error, signal);
  }
  const head = refs.find((ref) => ref.ref === 'HEAD');
  const defaultRef = head?.target ?? null;
  const tags = refs
    .filter((ref) => ref.ref.startsWith('refs/tags/') && !ref.ref.endsWith('^{}'))
    .map((ref) => ({ name: ref.ref.slice('refs/tags/'.length), oid: ref.oid, peeled: ref.peeled ?? null }));
  const { version, capabilities } = parseV2Capabilities(observed.advertisement);
  if (!cached && observed.finalUrl === null && observed.advertisement && version === 2) {
    if (advertisements.size >= MAX_CACHED_ADVERTISEMENTS) advertisements.delete(advertisements.keys().next().value!);
    advertisements.set(gitUrl, observed.advertisement);
  }
  const finalUrl = observed.finalUrl?.replace(/\.git$/, '') ?? null;
  return {
    url: finalUrl ?? url,
    gitUrl: observed.finalUrl ?? gitUrl,
    redirectedFrom: finalUrl !== null && finalUrl !== url ? url : null,
    defaultBranch: defaultRef?.startsWith('refs/heads/') ? defaultRef.slice('refs/heads/'.length) : null,
    head: head?.oid ?? null,
    tags,
    tagsFingerprint: fingerprintTags(tags),
    protocolVersion: version,
    // v2: the features of the fetch command; v0/v1: the advertised capabilities ("shallow" and
    // "filter" have the same names in both).
    fetchFeatures: version === 2 ? new Set((capabilities.get('fetch') ?? '').split(' ').filter(Boolean)) : parseV1Capabilities(observed.advertisement),
  };
}
