import { createHash } from 'node:crypto';

// The RFC 9562 URL namespace: names here are feed addresses such as "https://hub.example/v1/feeds/releases.atom".
const URL_NAMESPACE = Buffer.from('6ba7b8119dad11d180b400c04fd430c8', 'hex');

/**
 * A name-based UUID (version 5, RFC 9562 section 5.5): the same name always gives the same UUID,
 * so an Atom feed keeps its id on every request, and another hub can compute it (atom:source).
 */
export function nameUuid(name: string): string {
  const hash = createHash('sha1').update(URL_NAMESPACE).update(name, 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
