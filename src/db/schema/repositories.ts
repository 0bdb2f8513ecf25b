import { sql } from 'drizzle-orm';
import { index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { organisations } from './organisations';
import { software } from './software';

export const CRAWL_STATES = ['queued', 'running', 'succeeded', 'unchanged', 'failed'] as const;
export type CrawlState = (typeof CRAWL_STATES)[number];
/** Why scheduled crawls of a repository stopped; a manual refresh or a webhook resumes them. */
export const PAUSE_REASONS = ['repeated-failures', 'software-inactive'] as const;
export type PauseReason = (typeof PAUSE_REASONS)[number];
export const HOST_KINDS = ['github', 'gitlab', 'gitea', 'git'] as const;
export type HostKind = (typeof HOST_KINDS)[number];

export const repositories = pgTable(
  'repository',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    /** Canonical URL: lower-case scheme and host, no trailing slash or `.git`. */
    url: text('url').notNull().unique(),
    /** Earlier canonical URLs of the same repository (after renames or moves). */
    aliases: text('aliases').array().notNull().default(sql`'{}'::text[]`),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    softwareId: uuid('software_id').references(() => software.id),
    hostKind: text('host_kind').$type<HostKind>().notNull(),
    defaultBranch: text('default_branch'),
    headCommit: text('head_commit'),
    /** The head commit's committer date: "a commit in the last 12 months" in the programme report. */
    headCommittedAt: timestamp('head_committed_at', { withTimezone: true }),
    /** Hash of the sorted tag list at the last successful crawl: "unchanged" needs head and tags equal. */
    tagsFingerprint: text('tags_fingerprint'),
    crawlState: text('crawl_state').$type<CrawlState>().notNull().default('queued'),
    crawlProgress: integer('crawl_progress'),
    lastCheckedAt: timestamp('last_checked_at', { withTimezone: true }),
    lastSuccessAt: timestamp('last_success_at', { withTimezone: true }),
    lastError: text('last_error'),
    lastErrorAt: timestamp('last_error_at', { withTimezone: true }),
    /** Crawls in a row that ended failed (after their retries); 0 after a success. */
    consecutiveFailures: integer('consecutive_failures').notNull().default(0),
    pausedReason: text('paused_reason').$type<PauseReason>(),
    pausedAt: timestamp('paused_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // Webhooks and re-registration look repositories up by any former URL.
    index('repository_aliases_idx').using('gin', t.aliases),
    index('repository_software_idx').on(t.softwareId),
    // GET /v1/repositories?organisation=… in URL order (the cursor key).
    index('repository_organisation_url_idx').on(t.organisationId, t.url),
  ],
);
