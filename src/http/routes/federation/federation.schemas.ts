import { Type } from 'typebox';
import { Nullable } from '../../schemas/common';

export const HubDescriptorSchema = Type.Object(
  {
    id: Type.String({ format: 'uri', description: "the hub's id: its public base URL; record ids start with it" }),
    protocol: Type.String({ description: 'federation protocol version, major.minor; peers refuse an unknown major' }),
    signatureTag: Type.String({ description: 'the `tag` parameter of every RFC 9421 signature of this protocol' }),
    name: Type.String(),
    contact: Nullable(Type.String()),
    links: Type.Object({
      self: Type.String({ format: 'uri' }),
      keys: Type.String({ format: 'uri', description: 'the JWKS of the hub signing keys' }),
    }),
  },
  { description: 'Hub descriptor (design: Identity and keys)' },
);

const JwkSchema = Type.Object({
  kty: Type.Literal('OKP'),
  crv: Type.Literal('Ed25519'),
  x: Type.String({ description: 'public key, base64url' }),
  kid: Type.String({ description: 'RFC 7638 JWK thumbprint (SHA-256, base64url): what peers pin' }),
  alg: Type.Literal('EdDSA'),
  use: Type.Literal('sig'),
  exp: Type.Optional(Type.Integer({ description: 'retired keys: when the key stopped signing (seconds since the epoch); still valid for older signatures' })),
});

export const JwksSchema = Type.Object(
  { keys: Type.Array(JwkSchema) },
  { description: 'JSON Web Key Set (RFC 7517) of the hub, current and retired keys' },
);
