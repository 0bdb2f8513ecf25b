import { Type } from 'typebox';
import { Cursor, Limit, Multi, Nullable, Page, Timestamp, Uuid } from '../../schemas/common';

const Status = Type.Enum(['open', 'matched', 'in_progress', 'closed']);
const BudgetBand = Type.Enum(['<10k', '10–50k', '50–250k', '250k–1M', '>1M'], { description: 'Expected one-off budget in EUR' });
const Ref = Type.Object({ id: Uuid, slug: Type.String(), name: Type.String() });

const fields = {
  title: Type.String({ minLength: 3, maxLength: 300 }),
  description: Type.String({ minLength: 1, maxLength: 20_000, description: 'What is needed (German or English)' }),
  categories: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 20 }),
  deadline: Nullable(Type.String({ format: 'date' })),
  budgetBand: Nullable(BudgetBand),
};

export const PostNeedBody = Type.Object(
  {
    title: fields.title,
    description: fields.description,
    categories: Type.Optional(fields.categories),
    deadline: Type.Optional(fields.deadline),
    budgetBand: Type.Optional(fields.budgetBand),
    organisationId: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Admin only: the organisation posting the need' })),
  },
  { additionalProperties: false },
);

export const UpdateNeedBody = Type.Object(
  {
    title: Type.Optional(fields.title),
    description: Type.Optional(fields.description),
    categories: Type.Optional(fields.categories),
    deadline: Type.Optional(fields.deadline),
    budgetBand: Type.Optional(fields.budgetBand),
    status: Type.Optional(Status),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const JoinNeedBody = Type.Object(
  { organisationId: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Admin only: the organisation joining' })) },
  { additionalProperties: false },
);

const needFields = {
  id: Uuid,
  organisation: Ref,
  title: Type.String(),
  description: Type.String(),
  categories: Type.Array(Type.String()),
  deadline: Nullable(Type.String({ format: 'date' })),
  budgetBand: Nullable(BudgetBand),
  status: Status,
  supporterCount: Type.Integer({ description: 'Organisations that joined ("we need this too"), the poster not included' }),
  matchCount: Type.Integer(),
  matchedAt: Nullable(Timestamp),
  createdAt: Timestamp,
  updatedAt: Timestamp,
};

export const NeedSummary = Type.Object(needFields);

export const Need = Type.Object({
  ...needFields,
  supporters: Type.Array(Type.Object({ organisation: Ref, joinedAt: Timestamp })),
  matches: Type.Array(
    Type.Object({
      software: Type.Object({ id: Uuid, slug: Type.String(), name: Type.String(), organisation: Ref }),
      rank: Type.Integer(),
      score: Type.Number(),
      explanation: Type.Object(
        {
          query: Type.String({ description: 'The words the hub searched for' }),
          mode: Type.String({ description: 'exact, fuzzy (typos corrected) or partial (some of the words)' }),
          matched: Type.Array(Type.String(), { description: 'Fields of the software entry that matched' }),
          snippet: Nullable(Type.Object({ field: Type.String(), text: Type.String({ description: 'HTML-escaped excerpt with matches in <mark>' }) })),
        },
        { description: 'Why the search engine found this software' },
      ),
      reusedBy: Type.Array(
        Type.Object({ organisation: Ref, status: Type.String(), verification: Type.Enum(['self-declared', 'confirmed', 'disputed']) }),
        { description: 'Current reuse records of the software' },
      ),
    }),
    { description: 'Best-matching existing software, best first; refreshed when the catalogue changes' },
  ),
});

export const NeedList = Page(NeedSummary);

export const ListNeedsQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Words in title or description' })),
    status: Type.Optional(Multi(Status)),
    category: Type.Optional(Multi()),
    // Posted or joined by these organisations (id or slug).
    organisation: Type.Optional(Multi()),
    cursor: Type.Optional(Cursor),
    limit: Type.Optional(Limit),
  },
  { additionalProperties: false },
);

export const NeedParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) });
export const SupporterParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }), organisationId: Type.String({ minLength: 1, maxLength: 200 }) });
