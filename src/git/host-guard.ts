import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { GitRemoteError, unresolvedHost } from './errors';

/**
 * Whether a crawler must not connect to this address: anything ipaddr.js does not classify as
 * ordinary unicast (private, loopback, link-local, CGNAT, unique-local, multicast, reserved,
 * benchmarking …). IPv6 forms that carry an IPv4 address (mapped ::ffff:7f00:1, the deprecated
 * IPv4-compatible ::7f00:1 that URL parsing makes of [::127.0.0.1], translated ::ffff:0:7f00:1,
 * NAT64 64:ff9b::/96 on DNS64 networks, 6to4 2002::/16) are judged by that IPv4 address.
 */
export function isPrivateAddress(ip: string): boolean {
  if (!ipaddr.isValid(ip)) return true;
  let address = ipaddr.parse(ip);
  if (address.kind() === 'ipv6') {
    const v6 = address as ipaddr.IPv6;
    const bytes = v6.toByteArray();
    const range = v6.range();
    if (range === 'ipv4Mapped') address = v6.toIPv4Address();
    // ::/96 (IPv4-compatible; :: and ::1 become 0.0.0.0 and 0.0.0.1, both refused) and ::ffff:0:0/96.
    else if (bytes.slice(0, 12).every((b) => b === 0) || range === 'rfc6145') address = ipaddr.fromByteArray(bytes.slice(12, 16));
    else if (range === 'rfc6052') address = ipaddr.fromByteArray(bytes.slice(12, 16));
    else if (range === '6to4') address = ipaddr.fromByteArray(bytes.slice(2, 6));
  }
  return address.range() !== 'unicast';
}

/**
 * SSRF guard: a registered URL must not make the crawler talk to the hub's own network.
 * Every address the name resolves to is checked (a name with one public and one private
 * address is refused). A clear early answer for the registered URL; the connections themselves
 * are checked again by the public-only dispatcher (outbound.ts), which also covers redirects
 * and DNS rebinding.
 */
export async function assertPublicHost(url: string, allowPrivateHosts: boolean): Promise<void> {
  if (allowPrivateHosts) return;
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  if (isIP(host)) addresses = [host];
  else {
    try {
      addresses = (await lookup(host, { all: true })).map((entry) => entry.address);
    } catch (error) {
      throw unresolvedHost(host, (error as { code?: string }).code);
    }
  }
  if (addresses.some(isPrivateAddress)) {
    throw new GitRemoteError('refused', `refused: "${host}" resolves to a private, loopback or link-local address`);
  }
}
