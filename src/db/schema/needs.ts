import { sql } from 'drizzle-orm';
import { date, index, integer, jsonb, pgTable, primaryKey, real, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { organisations } from './organisations';
import { software } from './software';

export const NEED_STATUSES = ['open', 'matched', 'in_progress', 'closed'] as const;
export type NeedStatus = (typeof NEED_STATUSES)[number];

/** Budget in EUR a need's organisation expects to spend (one-off). */
export const BUDGET_BANDS = ['<10k', '10–50k', '50–250k', '250k–1M', '>1M'] as const;
export type BudgetBand = (typeof BUDGET_BANDS)[number];

/** A Bedarf: "we need X", posted by an organisation; others join it. */
export const needs = pgTable(
  'need',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    title: text('title').notNull(),
    description: text('description').notNull(),
    categories: text('categories').array().notNull().default(sql`'{}'::text[]`),
    deadline: date('deadline'),
    budgetBand: text('budget_band').$type<BudgetBand>(),
    status: text('status').$type<NeedStatus>().notNull().default('open'),
    /** The catalogue revision the matches were computed for; re-matching skips needs already at the current one. */
    matchedRevision: text('matched_revision'),
    matchedAt: timestamp('matched_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // GET /v1/needs?status=… newest first.
    index('need_status_created_idx').on(t.status, t.createdAt),
  ],
);

/** "We need this too": organisations that joined a need. */
export const needSupporters = pgTable(
  'need_supporter',
  {
    needId: uuid('need_id')
      .notNull()
      .references(() => needs.id),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    joinedAt: timestamp('joined_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.needId, t.organisationId] })],
);

/** Why the search engine matched: the query it ran (the need's words), its mode, the fields hit and a snippet. */
export type MatchExplanation = { query: string; mode: string; matched: string[]; snippet: { field: string; text: string } | null };

/** The software the search engine found for a need, best first, replaced on each re-match. */
export const needMatches = pgTable(
  'need_match',
  {
    needId: uuid('need_id')
      .notNull()
      .references(() => needs.id),
    softwareId: uuid('software_id')
      .notNull()
      .references(() => software.id),
    rank: integer('rank').notNull(),
    score: real('score').notNull(),
    explanation: jsonb('explanation').$type<MatchExplanation>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.needId, t.softwareId] })],
);
