import { sql } from 'drizzle-orm';
import { boolean, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { organisations } from './organisations';

export const DEVELOPMENT_STATUSES = ['concept', 'development', 'beta', 'stable', 'obsolete'] as const;

export type PubliccodeResultRow = { type: 'error' | 'warning'; key: string; message: string; line: number; column: number };

export const software = pgTable(
  'software',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    slug: text('slug').notNull().unique(),
    name: text('name').notNull(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    shortDescriptionDe: text('short_description_de'),
    shortDescriptionEn: text('short_description_en'),
    longDescriptionDe: text('long_description_de'),
    longDescriptionEn: text('long_description_en'),
    categories: text('categories').array().notNull().default(sql`'{}'::text[]`),
    features: text('features').array().notNull().default(sql`'{}'::text[]`),
    licence: text('licence'),
    developmentStatus: text('development_status'),
    maintenanceType: text('maintenance_type'),
    repositoryUrl: text('repository_url'),
    publiccodeRaw: text('publiccode_raw'),
    publiccode: jsonb('publiccode').$type<Record<string, unknown>>(),
    publiccodeValid: boolean('publiccode_valid'),
    publiccodeResults: jsonb('publiccode_results').$type<PubliccodeResultRow[]>(),
    readmeMarkdown: text('readme_markdown'),
    readmeHtml: text('readme_html'),
    /**
     * Whether a crawl found a README: derived by PostgreSQL from readme_markdown on every write, so
     * it cannot drift. The programme report reads it from a covering index (migration 0013) instead
     * of visiting the wide software rows, where READMEs and publiccode.yml live.
     */
    hasReadme: boolean('has_readme').generatedAlwaysAs(sql`readme_markdown IS NOT NULL`).notNull(),
    latestReleaseVersion: text('latest_release_version'),
    latestReleaseAt: timestamp('latest_release_at', { withTimezone: true }),
    /** Facts from a forge API (stars, topics, archived …); optional enrichment. */
    forge: jsonb('forge').$type<Record<string, unknown>>().notNull().default({}),
    active: boolean('active').notNull().default(true),
    /**
     * Shown in lists and search: set by the first successful crawl or when the owner describes
     * the entry. A registered URL alone (which may not exist) does not make a catalogue entry.
     */
    listed: boolean('listed').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // GET /v1/software?organisation=… and the organisation's software list.
    index('software_organisation_idx').on(t.organisationId),
  ],
);
