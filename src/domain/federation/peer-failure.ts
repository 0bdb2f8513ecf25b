/**
 * Why a request to a peer failed, classified once so the pull job knows what to do:
 * - `refused` (401/403) and `protocol` (an unknown major): retrying cannot help, and the peer is
 *   paused until an admin looks (our key is not pinned there, or the peer changed protocol).
 * - `rate-limited` (429/503): wait for Retry-After without spending an attempt.
 * - `cursor-expired` (410 on the change feed): resync by snapshot.
 * - everything else (down, hang, drip, huge, HTML, bad JSON, a bad signature, 5xx): the page is
 *   rejected whole, the cursor stays, and the job retries with backoff.
 */
export type PeerFailureKind =
  | 'unreachable'
  | 'timeout'
  | 'aborted'
  | 'too-large'
  | 'not-json'
  | 'bad-json'
  | 'bad-page'
  | 'unsigned'
  | 'refused'
  | 'protocol'
  | 'rate-limited'
  | 'cursor-expired'
  | 'rollback'
  | 'epoch-changed'
  | 'peer-error'
  | 'unexpected-status';

const PAUSING: ReadonlySet<PeerFailureKind> = new Set(['refused', 'protocol', 'rollback']);

export class PeerFailure extends Error {
  readonly code: string;
  /** Read by jobFailure (src/jobs/failure.ts): no retry. */
  readonly permanent: boolean;
  /** The peer is paused: an admin must look before we pull again. */
  readonly pausesPeer: boolean;
  readonly retryAfterMs: number | null;
  readonly status: number | null;

  constructor(
    readonly kind: PeerFailureKind,
    message: string,
    details: { retryAfterMs?: number; status?: number } = {},
  ) {
    super(message);
    this.name = 'PeerFailure';
    this.code = `federation.${kind}`;
    this.pausesPeer = PAUSING.has(kind);
    this.permanent = this.pausesPeer;
    this.retryAfterMs = details.retryAfterMs ?? null;
    this.status = details.status ?? null;
  }
}
