import type { KeyObject } from 'node:crypto';
import { Agent, fetch, type Dispatcher } from 'undici';
import { publicOnlyDispatcher, refusalOf } from '../../git/outbound';
import { parseRetryAfter } from '../webhooks/retry-policy';
import { signRequest, verifyResponse, type SigningKey } from './http-signatures';
import { PeerFailure } from './peer-failure';

/**
 * The pulling side's only way to a peer (design: "Scheduling"): every request signed (RFC 9421),
 * every answer checked against the peer's pinned keys and bound to our request before a byte of
 * it is parsed, and every way a peer can waste our time cut short.
 *
 * Time limits, each with its reason:
 * - connect 5 s: a TCP and TLS handshake to a hub in Europe takes well under 200 ms; 5 s allows a
 *   lossy link with retransmits, anything slower is a host that is down or filtered.
 * - headers 10 s: a page is one keyset query on the peer (milliseconds); 10 s covers a peer under
 *   load, longer means it hangs, and the job slot is worth more than waiting.
 * - body 15 s in total, from the headers on: a page of PAGE_BYTE_CAP at even 1 MiB/s arrives in
 *   about 16 s, a normal page (≈ 1 MiB) in one; undici's own bodyTimeout is the gap between two
 *   chunks, which a peer dripping one byte a second never exceeds, so the total is ours.
 */
export const CONNECT_TIMEOUT_MS = 5_000;
export const HEADERS_TIMEOUT_MS = 10_000;
export const BODY_TIMEOUT_MS = 15_000;
/**
 * 16 MiB per answer: we ask for 200 entries a page; a software entry with its proof is 2–8 KiB,
 * and an entry may be up to ENTRY_BYTE_CAP (64 KiB), so 200 entries at the cap are 12.8 MiB.
 * Bigger is a peer sending what we did not ask for, and it is cut off before it fills memory.
 */
export const PAGE_BYTE_CAP = 16 * 1024 * 1024;
/** Protocol majors this hub speaks; another major changes the meaning of fields we would misread. */
export const SUPPORTED_PROTOCOL_MAJOR = 1;

export const PULL_USER_AGENT = 'transferhub-federation/1 (+https://github.com/transferhub)';

export type PeerTarget = {
  /** The peer's base URL as pinned (`https://hub.example`); paths are appended to it. */
  baseUrl: string;
  /** Public key for a keyid pinned for this peer, or null: keys are never fetched on demand. */
  keyFor: (keyid: string) => KeyObject | null;
};

export type PeerClientOptions = {
  signingKey: SigningKey;
  /** HUB_ALLOW_PRIVATE_HOSTS: peers on loopback or a private network (development, tests). */
  allowPrivateHosts: boolean;
  connectTimeoutMs?: number;
  headersTimeoutMs?: number;
  bodyTimeoutMs?: number;
  maxBytes?: number;
  /** Seconds since the epoch: signing and verifying clock, injectable for tests. */
  now?: () => number;
};

/** A verified answer: 200 with its JSON, 304 (nothing new) or 410 (gone, with its problem or tombstone). */
export type PeerAnswer = { status: 200 | 304 | 410; body: unknown; etag: string | null };

export type PeerClient = {
  get(peer: PeerTarget, path: string, options?: { ifNoneMatch?: string | null; signal?: AbortSignal }): Promise<PeerAnswer>;
  close(): Promise<void>;
};

const JSON_TYPES = /^application\/([a-z0-9.+-]*\+)?json\s*(;|$)/i;

export function createPeerClient(options: PeerClientOptions): PeerClient {
  const connectTimeoutMs = options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS;
  const headersTimeoutMs = options.headersTimeoutMs ?? HEADERS_TIMEOUT_MS;
  const bodyTimeoutMs = options.bodyTimeoutMs ?? BODY_TIMEOUT_MS;
  const maxBytes = options.maxBytes ?? PAGE_BYTE_CAP;
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));
  const dispatcher: Dispatcher = options.allowPrivateHosts
    ? new Agent({ connect: { timeout: connectTimeoutMs }, headersTimeout: headersTimeoutMs, bodyTimeout: bodyTimeoutMs })
    : publicOnlyDispatcher(undefined, { connectTimeoutMs });

  async function get(peer: PeerTarget, path: string, request: { ifNoneMatch?: string | null; signal?: AbortSignal } = {}): Promise<PeerAnswer> {
    const targetUri = `${peer.baseUrl.replace(/\/+$/, '')}${path}`;
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': PULL_USER_AGENT };
    if (request.ifNoneMatch) headers['if-none-match'] = request.ifNoneMatch;
    const signed = { method: 'GET', targetUri, headers };
    Object.assign(headers, signRequest(signed, { key: options.signingKey, now: now() }));

    // Headers: our own timer besides undici's, because the public-only dispatcher has none.
    const headersLimit = new AbortController();
    const headersTimer = setTimeout(() => headersLimit.abort(), connectTimeoutMs + headersTimeoutMs);
    const signal = request.signal ? AbortSignal.any([request.signal, headersLimit.signal]) : headersLimit.signal;
    let response: Awaited<ReturnType<typeof fetch>>;
    try {
      response = await fetch(targetUri, { method: 'GET', headers, redirect: 'manual', signal, dispatcher });
    } catch (error) {
      throw networkFailure(error, headersLimit.signal.aborted, request.signal);
    } finally {
      clearTimeout(headersTimer);
    }
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), new Date(now() * 1000));
    const body = await readCapped(response, { maxBytes, timeoutMs: bodyTimeoutMs, signal: request.signal });
    const status = response.status;

    if (status === 429 || status === 503) throw new PeerFailure('rate-limited', `the peer answered ${status}`, { retryAfterMs: retryAfterMs ?? undefined, status });
    if (status === 401 || status === 403) throw new PeerFailure('refused', `the peer refused our signature (${status})`, { status });
    if (status !== 200 && status !== 304 && status !== 410) {
      throw new PeerFailure(status >= 500 ? 'peer-error' : 'unexpected-status', `the peer answered ${status}`, { status });
    }
    const contentType = response.headers.get('content-type') ?? '';
    if (status !== 304 && !JSON_TYPES.test(contentType)) {
      throw new PeerFailure('not-json', `the peer answered ${status} with ${contentType || 'no content type'}, not JSON`, { status });
    }
    const responseHeaders = Object.fromEntries(response.headers.entries());
    const verified = verifyResponse({ status, headers: responseHeaders, body }, signed, { keyFor: peer.keyFor, now: now() });
    if (!verified.ok) throw new PeerFailure('unsigned', `the answer is not signed by a pinned key of the peer for this request (${verified.reason})`, { status });
    const etag = response.headers.get('etag');
    if (status === 304) return { status, body: null, etag };
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      throw new PeerFailure('bad-json', 'the peer sent a signed answer that is not JSON', { status });
    }
    return { status, body: parsed, etag };
  }

  return { get, close: () => dispatcher.close() };
}

/** The protocol major of a descriptor, checked before anything else is read from that peer. */
export function checkProtocol(descriptor: unknown): void {
  const protocol = (descriptor as { protocol?: unknown } | null)?.protocol;
  const major = typeof protocol === 'string' ? Number(protocol.split('.')[0]) : NaN;
  if (major !== SUPPORTED_PROTOCOL_MAJOR) {
    throw new PeerFailure('protocol', `the peer speaks federation protocol ${String(protocol)}, this hub speaks ${SUPPORTED_PROTOCOL_MAJOR}.x`);
  }
}

/**
 * Reads at most `maxBytes` (a Content-Length above it is refused before reading) within
 * `timeoutMs` in total. Either limit aborts the body, so a drip or an endless answer costs at most
 * that much time and memory.
 */
async function readCapped(
  response: Awaited<ReturnType<typeof fetch>>,
  limits: { maxBytes: number; timeoutMs: number; signal?: AbortSignal },
): Promise<Buffer> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limits.maxBytes) {
    await response.body?.cancel().catch(() => {});
    throw new PeerFailure('too-large', `the answer announces ${declared} bytes, more than the cap of ${limits.maxBytes}`);
  }
  if (!response.body) return Buffer.alloc(0);
  const reader = response.body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void reader.cancel().catch(() => {});
  }, limits.timeoutMs);
  const onAbort = () => void reader.cancel().catch(() => {});
  limits.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (timedOut) throw new PeerFailure('timeout', `the answer did not arrive completely within ${limits.timeoutMs} ms`);
      if (limits.signal?.aborted) throw new PeerFailure('aborted', 'the pull was aborted');
      if (done) break;
      size += value.byteLength;
      if (size > limits.maxBytes) throw new PeerFailure('too-large', `the answer exceeds the cap of ${limits.maxBytes} bytes`);
      parts.push(value);
    }
  } catch (error) {
    if (error instanceof PeerFailure) throw error;
    if (timedOut) throw new PeerFailure('timeout', `the answer did not arrive completely within ${limits.timeoutMs} ms`);
    throw networkFailure(error, false, limits.signal);
  } finally {
    clearTimeout(timer);
    limits.signal?.removeEventListener('abort', onAbort);
    await reader.cancel().catch(() => {});
  }
  return Buffer.concat(parts);
}

function networkFailure(error: unknown, timedOut: boolean, signal?: AbortSignal): PeerFailure {
  const refusal = refusalOf(error);
  if (refusal) return new PeerFailure('unreachable', refusal.message);
  if (signal?.aborted) return new PeerFailure('aborted', 'the pull was aborted');
  if (timedOut) return new PeerFailure('timeout', 'no answer headers within the time limit');
  const code = (error as { cause?: { code?: string } }).cause?.code;
  if (code === 'UND_ERR_CONNECT_TIMEOUT') return new PeerFailure('timeout', 'connecting timed out');
  if (code === 'UND_ERR_HEADERS_TIMEOUT') return new PeerFailure('timeout', 'no answer headers within the time limit');
  if (code === 'UND_ERR_BODY_TIMEOUT') return new PeerFailure('timeout', 'the answer stalled');
  return new PeerFailure('unreachable', code ? `network error (${code})` : 'network error');
}
