import { sql } from 'drizzle-orm';
import { boolean, index, pgTable, real, smallint, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { organisations } from './organisations';
import { reuses } from './reuses';
import { software } from './software';

/** Annual running cost in EUR (issue 11 §2, written as the issue lists them). */
export const COST_BANDS = ['<1k', '1–5k', '5–20k', '20–100k', '>100k'] as const;
export type CostBand = (typeof COST_BANDS)[number];

export const HOSTING_KINDS = ['own data centre', 'municipal IT service provider', 'SaaS by a vendor', 'public cloud', 'other'] as const;
export type HostingKind = (typeof HOSTING_KINDS)[number];

/** An Erfahrungsbericht: a reusing organisation's structured report on its reuse; several over time. */
export const experienceReports = pgTable(
  'experience_report',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    reuseId: uuid('reuse_id')
      .notNull()
      .references(() => reuses.id),
    /** The reuse's software and organisation, kept here for the per-software aggregates and lists. */
    softwareId: uuid('software_id')
      .notNull()
      .references(() => software.id),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    effortPersonDays: real('effort_person_days'),
    weeksToGoLive: real('weeks_to_go_live'),
    runningCostBand: text('running_cost_band').$type<CostBand>(),
    hosting: text('hosting').$type<HostingKind>(),
    adaptations: text('adaptations'),
    whatWorkedMarkdown: text('what_worked_markdown'),
    whatWorkedHtml: text('what_worked_html'),
    whatDidNotWorkMarkdown: text('what_did_not_work_markdown'),
    whatDidNotWorkHtml: text('what_did_not_work_html'),
    recommendation: smallint('recommendation').notNull(),
    version: text('version'),
    /** A role mailbox; shown only while contactPublic is true. */
    contact: text('contact'),
    contactPublic: boolean('contact_public').notNull().default(false),
    answerMarkdown: text('answer_markdown'),
    answerHtml: text('answer_html'),
    answeredBy: text('answered_by'),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
    hiddenAt: timestamp('hidden_at', { withTimezone: true }),
    hiddenReason: text('hidden_reason'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // GET /v1/software/{id}/experience: reports and aggregates of one software entry, newest first.
    index('experience_report_software_idx').on(t.softwareId, t.createdAt),
    // The reports of one reuse record (its author's own list).
    index('experience_report_reuse_idx').on(t.reuseId),
  ],
);

export type ExperienceReportRow = typeof experienceReports.$inferSelect;
