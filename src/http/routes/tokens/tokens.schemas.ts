import { Type } from 'typebox';
import { Nullable, Timestamp, Uuid } from '../../schemas/common';

/** `admin` is still listed: tokens issued before issue 10 #9 may carry it (it grants nothing now). */
const Scope = Type.Enum(['publish', 'reuse', 'admin']);
const ADMIN_NOT_GRANTABLE =
  "publish: catalogue writes of the organisation; reuse: its reuse records. `admin` is refused with 400 " +
  "(token.admin_scope_not_grantable): admin is the hub operator's role, held only by HUB_ADMIN_TOKEN.";

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
    scopes: Type.Array(Scope, { minItems: 1, maxItems: 3, uniqueItems: true, description: ADMIN_NOT_GRANTABLE }),
    label: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 200 }))),
  },
  { additionalProperties: false },
);

export const TokenParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }), tokenId: Uuid });
export const TokenList = Type.Object({ items: Type.Array(TokenInfo) });
