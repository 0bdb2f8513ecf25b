import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { GitRemoteError } from './errors';

/** IPv4 ranges a crawler must not reach from the outside: private, loopback, link-local, CGNAT, unspecified. */
function isPrivateV4(ip: string): boolean {
  const [a, b] = ip.split('.').map(Number) as [number, number];
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    a >= 224
  );
}

function isPrivateV6(ip: string): boolean {
  const lower = ip.toLowerCase();
  if (lower === '::' || lower === '::1') return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (mapped) return isPrivateV4(mapped[1]!);
  // fc00::/7 unique local, fe80::/10 link-local, ff00::/8 multicast
  return /^f[cd]/.test(lower) || /^fe[89ab]/.test(lower) || lower.startsWith('ff');
}

export function isPrivateAddress(ip: string): boolean {
  return isIP(ip) === 6 ? isPrivateV6(ip) : isPrivateV4(ip);
}

/**
 * SSRF guard: a registered URL must not make the crawler talk to the hub's own network.
 * Every address the name resolves to is checked (a name with one public and one private
 * address is refused). Best effort: the connection resolves again, so DNS rebinding
 * between check and connect is not covered.
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
