import { Type } from 'typebox';
import { Nullable } from '../../schemas/common';

export const SuggestQuery = Type.Object(
  {
    q: Type.String({ minLength: 1, maxLength: 100, description: 'What the user has typed so far' }),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 20, default: 8, description: 'Suggestions (1–20)' })),
  },
  { additionalProperties: false },
);

export const Suggestions = Type.Object({
  items: Type.Array(
    Type.Object({
      kind: Type.Enum(['software', 'term'], { description: 'software: a name leading to its entry; term: a search term' }),
      text: Type.String({ description: 'Plain text as stored, not HTML: a client inserts it as text, never as markup' }),
      slug: Nullable(Type.String()),
    }),
  ),
});
