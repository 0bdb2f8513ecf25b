import { createHash, timingSafeEqual } from 'node:crypto';

/** Identifies our tokens in logs and secret scanners. */
export const TOKEN_PREFIX = 'thub_';

/** Tokens carry 256 random bits, so a fast SHA-256 is a safe way to store them (no password stretching needed). */
export function hashToken(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Compares two hex hashes in constant time. */
export function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
