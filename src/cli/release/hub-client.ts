/** An answer of the hub: its status and parsed JSON body (problem+json for errors); where a redirect points. */
export type HubAnswer = { status: number; body: unknown; location: string | null };

/** The hub could not be reached, or kept answering 5xx/429, through every retry. */
export class HubUnavailable extends Error {}

/** Where and how the requests of one command go. */
export type HubConnection = {
  hubUrl: string;
  token: string | null;
  /** Further attempts after the first. */
  retries: number;
  /** Reports each retry (one line to stderr in the command). */
  onRetry?: (message: string) => void;
};

export type HubRequest = HubConnection & { method: 'GET' | 'POST' | 'PATCH'; path: string; body?: unknown };

// 30 s per attempt: the hub answers a release push in milliseconds; a request hanging this long
// is a dead connection, and the retry gets a fresh one.
const ATTEMPT_TIMEOUT_MS = 30_000;
// 1 s, 2 s, 4 s … : a hub that restarts (a deploy, a database fail-over) is back within seconds,
// and three retries wait about 7 s in all, short for a CI job. Retry-After is honoured up to 60 s.
const BASE_DELAY_MS = 1000;
const MAX_DELAY_MS = 60_000;

/**
 * One request with bounded retries on network errors, 5xx and 429. Retrying a POST is safe
 * here because the release push is idempotent on the version (a repeat answers 200).
 */
export async function hubRequest(request: HubRequest): Promise<HubAnswer> {
  const url = `${request.hubUrl}${request.path}`;
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
  if (request.token) headers.authorization = `Bearer ${request.token}`;
  if (request.body !== undefined) headers['content-type'] = 'application/json';
  for (let attempt = 0; ; attempt++) {
    let failure: string;
    let retryAfterMs: number | null = null;
    try {
      const response = await fetch(url, {
        method: request.method,
        headers,
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
        // Not followed: a redirected POST becomes a GET, and the token would go wherever it points.
        redirect: 'manual',
      });
      const text = await response.text();
      if (response.status < 500 && response.status !== 429) return { status: response.status, body: parse(text), location: response.headers.get('location') };
      failure = `${response.status} ${problemDetail(parse(text)) ?? response.statusText}`;
      retryAfterMs = retryAfter(response.headers.get('retry-after'));
    } catch (error) {
      failure = networkMessage(error);
    }
    if (attempt >= request.retries) {
      throw new HubUnavailable(`${request.method} ${url} failed: ${failure}${request.retries > 0 ? ` (${attempt + 1} attempts)` : ''}`);
    }
    // Full jitter between half and the whole step, so pipelines retrying together spread out.
    const step = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt);
    const delay = Math.min(MAX_DELAY_MS, retryAfterMs ?? Math.round(step * (0.5 + Math.random() / 2)));
    request.onRetry?.(`${failure}; retrying in ${(delay / 1000).toFixed(1)} s / neuer Versuch in ${(delay / 1000).toFixed(1)} s`);
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The problem's detail (RFC 9457), for one-line messages. */
export function problemDetail(body: unknown): string | null {
  if (body && typeof body === 'object' && 'detail' in body && typeof body.detail === 'string') return body.detail;
  return null;
}

/** Retry-After as seconds or an HTTP date, in milliseconds; null when absent or unreadable. */
function retryAfter(value: string | null): number | null {
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - Date.now());
}

/** fetch hides the reason in `cause` (ECONNREFUSED, ENOTFOUND, a TLS error) behind "fetch failed". */
function networkMessage(error: unknown): string {
  const failure = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (failure.name === 'TimeoutError') return `no answer within ${ATTEMPT_TIMEOUT_MS / 1000} s`;
  return failure.cause?.code ?? failure.cause?.message ?? failure.message ?? String(error);
}
