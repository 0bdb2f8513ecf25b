import type { GitHttpRequest, GitHttpResponse, HttpClient } from 'isomorphic-git';
import { GitRemoteError, unresolvedHost } from './errors';
import type { MemoryBudget } from './memory-budget';
import type { PaceGuard } from './pace-guard';
import { outboundFetch, refusalOf, type Outbound, type Response } from './outbound';

export const USER_AGENT = 'transferhub-crawler/0.1 (+https://github.com/transferhub)';

async function collect(body: GitHttpRequest['body']): Promise<Uint8Array | undefined> {
  if (body === undefined) return undefined;
  const parts: Uint8Array[] = [];
  for await (const part of body as AsyncIterable<Uint8Array>) parts.push(part);
  return Buffer.concat(parts);
}

/**
 * Wraps a network failure (refused, reset, DNS, abort) as a temporary one; a time limit or a
 * host too slow reads as such ('slow': retried fewer times).
 */
export function networkFailure(error: unknown, signal?: AbortSignal): GitRemoteError {
  if (error instanceof GitRemoteError) return error;
  const refusal = refusalOf(error);
  if (refusal) return refusal;
  if (signal?.aborted) {
    if (signal.reason instanceof GitRemoteError) return signal.reason;
    return new GitRemoteError('slow', 'the time limit of the crawl ran out');
  }
  const cause = (error as { cause?: { code?: string; hostname?: string } }).cause;
  if (cause?.hostname && (cause.code === 'ENOTFOUND' || cause.code === 'EAI_AGAIN')) return unresolvedHost(cause.hostname, cause.code);
  return new GitRemoteError('temporary', `network error talking to the host${cause?.code ? ` (${cause.code})` : ''}`);
}

export type ReadBodyOptions = {
  maxBytes: number;
  signal?: AbortSignal;
  tooLarge: string;
  /** Each chunk is reserved here before it is kept. */
  budget?: MemoryBudget;
  /** Told of every chunk, so a host too slow is stopped. */
  guard?: PaceGuard;
};

/** Reads a response body into one buffer, aborting as soon as it grows past maxBytes. */
export async function readBody(response: Response, options: ReadBodyOptions): Promise<Buffer> {
  const parts: Buffer[] = [];
  let size = 0;
  if (!response.body) return Buffer.alloc(0);
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    options.guard?.progress(value.byteLength);
    if (size > options.maxBytes) {
      await reader.cancel().catch(() => {});
      throw new GitRemoteError('too-large', options.tooLarge);
    }
    try {
      options.budget?.take(value.byteLength, 'the answer of the git server');
    } catch (error) {
      await reader.cancel().catch(() => {});
      throw error;
    }
    parts.push(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
  }
  return Buffer.concat(parts, size);
}

/**
 * What one conversation with a remote observed: the URL after redirects (a renamed
 * repository redirects to its new name) and the capability advertisement (so asking for
 * refs costs no extra request for the capabilities).
 */
export type Observed = {
  finalUrl: string | null;
  advertisement: Buffer | null;
  movedFrom?: string;
  /** Answer the advertisement request from this instead of the network. */
  cachedAdvertisement?: Buffer;
};

/**
 * isomorphic-git's HTTP plugin on Node's fetch: abortable, bounded, and recording
 * redirects and the advertisement. Response bodies are small here (refs only).
 */
export function createHttpClient(options: { signal?: AbortSignal; observed: Observed; maxBytes: number; outbound: Outbound }): HttpClient {
  return {
    async request(req: GitHttpRequest): Promise<GitHttpResponse> {
      const cached = options.observed.cachedAdvertisement;
      if (cached && req.url.includes('/info/refs?service=')) {
        options.observed.advertisement = cached;
        return {
          url: req.url,
          method: 'GET',
          statusCode: 200,
          statusMessage: 'OK',
          headers: { 'content-type': 'application/x-git-upload-pack-advertisement' },
          body: (async function* () {
            yield new Uint8Array(cached);
          })(),
        };
      }
      let response: Response;
      // After a redirect of the advertisement, later requests (ls-refs) go to the new place
      // directly: fetch would turn a redirected POST into a GET.
      const target =
        options.observed.finalUrl && options.observed.movedFrom && req.url.startsWith(options.observed.movedFrom)
          ? options.observed.finalUrl + req.url.slice(options.observed.movedFrom.length)
          : req.url;
      try {
        response = await outboundFetch(options.outbound, target, {
          method: req.method ?? 'GET',
          headers: { 'user-agent': USER_AGENT, ...req.headers },
          body: await collect(req.body),
          redirect: 'follow',
          signal: options.signal,
        });
      } catch (error) {
        throw networkFailure(error, options.signal);
      }
      const body = await readBody(response, { maxBytes: options.maxBytes, signal: options.signal, tooLarge: 'the list of refs is too large' }).catch(
        (error: unknown) => {
          throw networkFailure(error, options.signal);
        },
      );
      if (req.url.includes('/info/refs?service=')) {
        if (response.redirected) {
          options.observed.movedFrom = req.url.replace(/\/info\/refs\?.*$/, '');
          options.observed.finalUrl = response.url.replace(/\/info\/refs\?.*$/, '');
        }
        options.observed.advertisement = body;
      }
      const headers: Record<string, string> = {};
      response.headers.forEach((value, key) => (headers[key] = value));
      return {
        url: response.url,
        method: req.method,
        statusCode: response.status,
        statusMessage: response.statusText,
        headers,
        body: (async function* () {
          yield new Uint8Array(body);
        })(),
      };
    },
  };
}
