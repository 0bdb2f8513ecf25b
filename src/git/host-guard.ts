import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { GitRemoteError } from './errors';

/**
 * Addresses a crawler must not reach from the outside (IANA special-purpose ranges): private,
 * loopback, link-local, CGNAT, benchmarking, multicast, reserved, unique-local and NAT64. Node's
 * BlockList also matches IPv4-mapped IPv6 forms (::ffff:7f00:1 is 127.0.0.1).
 */
const PRIVATE = new BlockList();
for (const [network, prefix] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4]] as const) {
  PRIVATE.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['64:ff9b::', 96]] as const) {
  PRIVATE.addSubnet(network, prefix, 'ipv6');
}

export function isPrivateAddress(ip: string): boolean {
  return PRIVATE.check(ip, isIP(ip) === 6 ? 'ipv6' : 'ipv4');
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
    } catch {
      throw new GitRemoteError('temporary', `the host name "${host}" could not be resolved`);
    }
  }
  if (addresses.some(isPrivateAddress)) {
    throw new GitRemoteError('refused', `refused: "${host}" resolves to a private, loopback or link-local address`);
  }
}
