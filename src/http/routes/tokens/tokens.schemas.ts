import { Type } from 'typebox';
import { Nullable, Timestamp, Uuid } from '../../schemas/common';

const Scope = Type.Enum(['publish', 'reuse', 'admin']);

export const TokenInfo = Type.Object({
  id: Uuid,
  organisationId: Uuid,
  label: Nullable(Type.String()),
  scopes: Type.Array(Scope),
  createdAt: Timestamp,
  lastUsedAt: Nullable(Timestamp),
  revokedAt: Nullable(Timestamp),
});

export const CreatedToken = Type.Intersect([
  TokenInfo,
  Type.Object({ token: Type.String({ description: 'The secret. Shown once; store it in your CI secrets.' }) }),
]);

export const CreateTokenBody = Type.Object(
  {
    scopes: Type.Array(Scope, { minItems: 1, maxItems: 3, uniqueItems: true }),
    label: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 200 }))),
  },
  { additionalProperties: false },
);

export const TokenParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }), tokenId: Uuid });
export const TokenList = Type.Object({ items: Type.Array(TokenInfo) });
