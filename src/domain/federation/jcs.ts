import canonicalize from 'canonicalize';

/**
 * RFC 8785 JSON Canonicalization Scheme: the one byte form of a JSON value that record proofs
 * hash. The `canonicalize` package (by one of the RFC's authors) does the ECMAScript number and
 * UTF-16 key ordering rules; we only refuse what JCS cannot represent, so a caller never signs
 * `undefined` (which would sign the empty string) or a value the other side parses differently.
 */
export function jcs(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('JCS: the value has no JSON form (undefined, a function or a symbol)');
  return text;
}

/** The canonical form as UTF-8 bytes, the input of the hashes in proof.ts. */
export function jcsBytes(value: unknown): Buffer {
  return Buffer.from(jcs(value), 'utf8');
}
