import { sql } from 'drizzle-orm';
import { integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const ORGANISATION_KINDS = [
  'municipality',
  'county',
  'municipal_association',
  'regional_association',
  'state',
  'federal',
  'company',
  'other',
] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

export const CODE_HOSTING_KINDS = ['github', 'gitlab', 'gitea', 'git'] as const;
export type CodeHostingAccount = { url: string; kind: (typeof CODE_HOSTING_KINDS)[number] };

export const organisations = pgTable('organisation', {
  id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  kind: text('kind').$type<OrganisationKind>().notNull(),
  /** AGS (8 digits), Kreis key (5), Verband key (9) or ARS (12); unique when present. */
  officialKey: text('official_key').unique(),
  /** Official keys of the members of an inter-municipal cooperation. */
  memberKeys: text('member_keys').array().notNull().default(sql`'{}'::text[]`),
  state: text('state'),
  programme: text('programme'),
  cohortYear: integer('cohort_year'),
  website: text('website'),
  codeHosting: jsonb('code_hosting').$type<CodeHostingAccount[]>().notNull().default([]),
  /** Shared secret for incoming forge webhooks (GitHub HMAC key, GitLab token). */
  webhookSecret: text('webhook_secret'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
