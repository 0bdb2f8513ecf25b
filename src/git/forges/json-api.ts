import { USER_AGENT } from '../http-client';
import { outboundFetch, refusalOf, type Outbound } from '../outbound';
import { ForgeError } from './types';

/** A GET against a forge's JSON API, with the link to the next page when there is one. */
export async function getJson<T>(
  url: string,
  options: { headers?: Record<string, string>; signal?: AbortSignal; etag?: string | null; outbound: Outbound },
): Promise<{ status: number; body: T | null; etag: string | null; next: string | null; nextPage: string | null }> {
  const headers: Record<string, string> = { accept: 'application/json', 'user-agent': USER_AGENT, ...options.headers };
  if (options.etag) headers['if-none-match'] = options.etag;
  const response = await outboundFetch(options.outbound, url, { headers, signal: options.signal }).catch((error: unknown) => {
    // A refused address is a permanent answer in plain words, not a network hiccup.
    throw refusalOf(error) ?? error;
  });
  if (response.status === 304) return { status: 304, body: null, etag: options.etag ?? null, next: null, nextPage: null };
  if (!response.ok) {
    await response.body?.cancel().catch(() => {});
    throw new ForgeError(`${new URL(url).pathname} answered HTTP ${response.status}`, response.status);
  }
  const link = response.headers.get('link');
  const next = link ? (/<([^>]+)>;\s*rel="next"/.exec(link)?.[1] ?? null) : null;
  return {
    status: response.status,
    body: (await response.json()) as T,
    etag: response.headers.get('etag'),
    next,
    nextPage: response.headers.get('x-next-page') || null,
  };
}
