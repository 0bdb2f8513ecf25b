import { Agent, fetch, type Dispatcher } from 'undici';
import { refusalOf, publicOnlyDispatcher } from '../../git/outbound';
import { parseRetryAfter } from './retry-policy';

/** Read at most this much of an answer: a receiver acknowledges in a few bytes; 64 KiB shows any error page. */
export const RESPONSE_READ_CAP = 64 * 1024;
/** Kept in the delivery log per attempt: enough for an error message, small enough for thousands of attempts. */
export const RESPONSE_EXCERPT_CHARS = 1024;

export const WEBHOOK_USER_AGENT = 'transferhub-webhooks/0.1 (+https://github.com/transferhub)';

export type SendOutcome = {
  ok: boolean;
  statusCode: number | null;
  durationMs: number;
  responseExcerpt: string | null;
  error: string | null;
  retryAfterMs: number | null;
};

const dispatchers = new Map<string, Dispatcher>();

/**
 * One dispatcher per setting: the public-only one of the crawler (every address a connection
 * really uses is checked, redirects and DNS rebinding included), or, with HUB_ALLOW_PRIVATE_HOSTS
 * (development, tests on loopback), a plain one. Both with the connect time limit.
 */
function dispatcherFor(allowPrivateHosts: boolean, connectTimeoutMs: number): Dispatcher {
  const key = `${allowPrivateHosts}:${connectTimeoutMs}`;
  let dispatcher = dispatchers.get(key);
  if (!dispatcher) {
    dispatcher = allowPrivateHosts ? new Agent({ connect: { timeout: connectTimeoutMs } }) : publicOnlyDispatcher(undefined, { connectTimeoutMs });
    dispatchers.set(key, dispatcher);
  }
  return dispatcher;
}

/**
 * POSTs one signed message. Never throws for the receiver's faults: any 2xx is success, anything
 * else (3xx included: redirects are not followed, a webhook URL must be the final one) is a
 * failure with what was seen. The answer is read up to RESPONSE_READ_CAP and then cut off; the
 * whole attempt, body included, ends at timeoutMs.
 */
export async function sendWebhook(input: {
  url: string;
  headers: Record<string, string>;
  body: string;
  allowPrivateHosts: boolean;
  connectTimeoutMs: number;
  timeoutMs: number;
  signal?: AbortSignal;
}): Promise<SendOutcome> {
  const started = performance.now();
  const limit = AbortSignal.timeout(input.timeoutMs);
  const signal = input.signal ? AbortSignal.any([input.signal, limit]) : limit;
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const response = await fetch(input.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': WEBHOOK_USER_AGENT, ...input.headers },
      body: input.body,
      redirect: 'manual',
      signal,
      dispatcher: dispatcherFor(input.allowPrivateHosts, input.connectTimeoutMs),
    });
    const excerpt = await readExcerpt(response, signal);
    const ok = response.status >= 200 && response.status < 300;
    return {
      ok,
      statusCode: response.status,
      durationMs: elapsed(),
      responseExcerpt: excerpt,
      error: ok ? null : `the receiver answered ${response.status}`,
      retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), new Date()),
    };
  } catch (error) {
    return { ok: false, statusCode: null, durationMs: elapsed(), responseExcerpt: null, error: describe(error, limit), retryAfterMs: null };
  }
}

async function readExcerpt(response: Response | Awaited<ReturnType<typeof fetch>>, signal: AbortSignal): Promise<string | null> {
  if (!response.body) return null;
  const reader = response.body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < RESPONSE_READ_CAP && !signal.aborted) {
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(value);
      size += value.byteLength;
    }
  } catch {
    // A body cut off by the time limit still leaves what arrived: the status is what counts.
  } finally {
    await reader.cancel().catch(() => {});
  }
  const text = Buffer.concat(parts).subarray(0, RESPONSE_READ_CAP).toString('utf8');
  return text.length === 0 ? null : text.slice(0, RESPONSE_EXCERPT_CHARS);
}

function describe(error: unknown, limit: AbortSignal): string {
  const refusal = refusalOf(error);
  if (refusal) return refusal.message;
  if (limit.aborted) return 'no complete answer within the time limit';
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code === 'UND_ERR_CONNECT_TIMEOUT') return 'connecting timed out';
  if (cause?.code) return `network error (${cause.code})`;
  return (error as Error).name === 'AbortError' ? 'the attempt was aborted (worker shutting down)' : 'network error';
}
