/**
 * Why talking to a git remote failed, in words a maintainer understands. `permanent`
 * failures (not found, authentication, not a git repository, too large) cannot be fixed
 * by retrying; the others (network, 5xx, 429, time limit) can.
 */
export type GitFailureKind = 'not-found' | 'auth' | 'not-git' | 'too-large' | 'refused' | 'temporary' | 'slow';

const SLOW_ATTEMPTS = 2;

export class GitRemoteError extends Error {
  constructor(
    readonly kind: GitFailureKind,
    message: string,
    readonly status: number | null = null,
    /** A stable code for failures a caller may tell apart (crawl.memory_cap_exceeded …). */
    readonly code: string | null = null,
  ) {
    super(message);
  }

  /** 'slow' (a host too slow or silent, the time limit) is retried, but fewer times (attemptLimit). */
  get permanent(): boolean {
    return this.kind !== 'temporary' && this.kind !== 'slow';
  }

  /**
   * A host that was too slow, or a crawl that ran out of time, is tried twice in all: a second
   * chance covers a passing slowness, while five attempts of 5 minutes each would let one hostile
   * host occupy a crawl slot for 25 minutes. Read by src/jobs/failure.ts.
   */
  get attemptLimit(): number | undefined {
    return this.kind === 'slow' ? SLOW_ATTEMPTS : undefined;
  }
}

/** Maps an HTTP status of a git or forge endpoint to a failure in plain words. */
export function httpFailure(status: number, what = 'repository'): GitRemoteError {
  if (status === 404 || status === 410) return new GitRemoteError('not-found', `${what} not found (HTTP ${status})`, status);
  if (status === 401 || status === 403) return new GitRemoteError('auth', `authentication required (HTTP ${status})`, status);
  if (status === 429) return new GitRemoteError('temporary', `rate limited by the host (HTTP 429)`, status);
  if (status >= 500) return new GitRemoteError('temporary', `the host answered with a server error (HTTP ${status})`, status);
  return new GitRemoteError('not-git', `unexpected answer from the host (HTTP ${status})`, status);
}

/**
 * A host name DNS does not know (ENOTFOUND: a typo, or no internet access, as in the offline
 * demo) or did not answer for, in the same words wherever the lookup failed: the SSRF guard's own
 * lookup (embedded mode) or the connection's (with HUB_ALLOW_PRIVATE_HOSTS, which skips the guard).
 */
export function unresolvedHost(host: string, code: string | undefined): GitRemoteError {
  const why = code === 'ENOTFOUND' ? 'no DNS record: a typo, or the hub has no internet access' : 'DNS did not answer';
  return new GitRemoteError('temporary', `the host name "${host}" could not be resolved (${why})`);
}
