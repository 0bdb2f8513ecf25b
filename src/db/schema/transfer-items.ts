import { sql } from 'drizzle-orm';
import { boolean, check, date, index, integer, pgTable, pgView, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { repositories } from './repositories';
import { software } from './software';

/**
 * What another municipality needs besides the code (issue 11 §3, Nachnutzungspaket). A fixed
 * list: the completeness score counts these kinds, and the SQL view transfer_package_score
 * (migration, hand-written part) counts the same number of kinds (TRANSFER_KINDS.length).
 */
export const TRANSFER_KINDS = [
  'installation-guide',
  'operations-manual',
  'system-requirements',
  'running-costs',
  'procurement',
  'cooperation-agreement',
  'data-protection',
  'accessibility-statement',
  'security-contact',
  'training-material',
  'reuse-contact',
] as const;
export type TransferKind = (typeof TRANSFER_KINDS)[number];

/** declared: set by the owner through the API; discovered: found by the crawler in a repository. A declared item wins. */
export const TRANSFER_SOURCES = ['declared', 'discovered'] as const;
export type TransferSource = (typeof TRANSFER_SOURCES)[number];

export const transferItems = pgTable(
  'transfer_item',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    softwareId: uuid('software_id')
      .notNull()
      .references(() => software.id, { onDelete: 'cascade' }),
    kind: text('kind').$type<TransferKind>().notNull(),
    source: text('source').$type<TransferSource>().notNull(),
    /** The owner says the kind does not apply to this software (declared rows only): it leaves the score's denominator. */
    notApplicable: boolean('not_applicable').notNull().default(false),
    /** An http(s) link … */
    url: text('url'),
    /** … or a path in a repository registered for this software (the repository is removed: the item goes too). */
    repositoryId: uuid('repository_id').references(() => repositories.id, { onDelete: 'cascade' }),
    path: text('path'),
    /** A role mailbox; only for the contact kinds (security-contact, reuse-contact). */
    email: text('email'),
    /** Where a discovered item came from, e.g. "publiccode.yml: description.de.documentation" or "tree". */
    origin: text('origin'),
    language: text('language'),
    lastCheckedOn: date('last_checked_on'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // One declaration per kind: PUT /v1/software/{id}/transfer-package/{kind} upserts it.
    uniqueIndex('transfer_item_declared_key').on(t.softwareId, t.kind).where(sql`${t.source} = 'declared'`),
    // The crawl replaces a repository's discovered items; the package and the score read them per software.
    index('transfer_item_software_idx').on(t.softwareId, t.kind),
    index('transfer_item_repository_idx').on(t.repositoryId),
    check('transfer_item_target', sql`${t.notApplicable} OR num_nonnulls(${t.url}, ${t.path}, ${t.email}) = 1`),
    check('transfer_item_path_repository', sql`(${t.path} IS NULL) = (${t.repositoryId} IS NULL) OR (${t.path} IS NULL AND ${t.source} = 'discovered')`),
  ],
);

/**
 * The score per software: kinds present out of the kinds that apply. Created by the hand-written
 * part of migration 0007 (drizzle-kit does not generate `.existing()` views); an entry without any
 * item has no row (all kinds missing).
 */
export const transferPackageScores = pgView('transfer_package_score', {
  softwareId: uuid('software_id').notNull(),
  present: integer('present').notNull(),
  applicable: integer('applicable').notNull(),
}).existing();
