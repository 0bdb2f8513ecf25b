import { jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * The hub's Ed25519 signing keys in server mode (embedded mode keeps them in a 0600 file in the
 * data folder). The private key is stored as is (PKCS #8 PEM), not encrypted: a key from the
 * environment would sit in the same deployment secrets as DATABASE_URL, would have to travel with
 * every `transferhub backup`, and its loss would lose the hub's identity towards all peers. Who can
 * read this table can already rewrite the catalogue; a leaked key is answered by rotation and by
 * peers unpinning the thumbprint.
 */
export const federationKeys = pgTable('federation_key', {
  /** RFC 7638 JWK thumbprint (SHA-256, base64url) of the public key. */
  kid: text('kid').primaryKey(),
  /** The public JWK as served in the JWKS (kty OKP, crv Ed25519, x). */
  publicJwk: jsonb('public_jwk').$type<{ kty: string; crv: string; x: string }>().notNull(),
  privateKeyPem: text('private_key_pem').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  /** Set when a newer key took over signing; the key stays listed (with exp) so old proofs verify. */
  retiredAt: timestamp('retired_at', { withTimezone: true }),
});
