import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions } from 'node:dns';
import { isIP } from 'node:net';
import { Agent, buildConnector, fetch as undiciFetch, type Dispatcher, type RequestInit, type Response } from 'undici';
import { GitRemoteError } from './errors';
import { isPrivateAddress } from './host-guard';

export type { Response };

/** Every request the crawler makes to a host named by a user: git smart HTTP and forge APIs. */
export type Outbound = { allowPrivateHosts: boolean };

type Resolve = (hostname: string, options: LookupAllOptions, callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void) => void;

const refused = (host: string) => new GitRemoteError('refused', `refused: "${host}" resolves to a private, loopback or link-local address`);

/**
 * A dispatcher that connects to public addresses only, checked on the addresses each connection
 * really uses: the name is resolved for the connection, and refused when any of its addresses is
 * private. A check before the request (assertPublicHost) cannot see a redirect to
 * another host, nor a name that resolves differently a moment later (DNS rebinding); this can.
 * `resolve` is there for tests.
 */
export function publicOnlyDispatcher(resolve: Resolve = dnsLookup as Resolve, options: { connectTimeoutMs?: number } = {}): Dispatcher {
  // net.connect asks this lookup for the addresses it then tries (IPv6/IPv4 fallback, undici's
  // connect timeout covering the lookup); a name with any private address is refused outright.
  const lookup = (hostname: string, options: { family?: number; all?: boolean }, callback: (...args: unknown[]) => void) => {
    resolve(hostname, { family: options.family ?? 0, all: true }, (error, addresses) => {
      if (error) return callback(error);
      if (addresses.length === 0) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND', hostname }));
      if (addresses.some((a) => isPrivateAddress(a.address))) return callback(refused(hostname));
      if (options.all) return callback(null, addresses);
      return callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
  const connect = buildConnector({ lookup, timeout: options.connectTimeoutMs } as buildConnector.BuildOptions);
  return new Agent({
    connect: (options, callback) => {
      // An address in the URL is not looked up: it is checked here.
      const host = options.hostname.replace(/^\[|\]$/g, '');
      if (isIP(host) && isPrivateAddress(host)) return callback(refused(host), null);
      return connect(options, callback);
    },
  });
}

let shared: Dispatcher | undefined;

/** fetch for crawler requests: through the public-only dispatcher unless private hosts are allowed. */
export function outboundFetch(outbound: Outbound, url: string, init: RequestInit = {}): Promise<Response> {
  if (outbound.allowPrivateHosts) return undiciFetch(url, init);
  shared ??= publicOnlyDispatcher();
  return undiciFetch(url, { ...init, dispatcher: shared });
}

/** The refusal behind a failed fetch, when the dispatcher refused the address. */
export function refusalOf(error: unknown): GitRemoteError | null {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    if (e instanceof GitRemoteError && e.kind === 'refused') return e;
  }
  return null;
}
