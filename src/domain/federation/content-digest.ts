import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * RFC 9530 Content-Digest with sha-256, the only algorithm we send and accept: a peer offering
 * only a weaker one (md5, sha-1 are "insecure" in the registry) is refused rather than trusted.
 */
export function contentDigest(body: Buffer | string): string {
  return `sha-256=:${createHash('sha256').update(body).digest('base64')}:`;
}

/** True if the field carries a sha-256 member equal to the body's digest. */
export function contentDigestMatches(field: string | undefined, body: Buffer | string): boolean {
  if (!field) return false;
  const expected = createHash('sha256').update(body).digest();
  for (const member of field.split(',')) {
    const match = /^\s*sha-256=:([A-Za-z0-9+/=]*):\s*$/.exec(member);
    if (!match?.[1]) continue;
    const given = Buffer.from(match[1], 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
  return false;
}
