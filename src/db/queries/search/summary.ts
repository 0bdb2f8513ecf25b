import { sql } from 'drizzle-orm';

/** What a result list shows of an entry (the summary), without README and publiccode.yml. */
export type SummaryRow = {
  id: string;
  slug: string;
  name: string;
  short_description_de: string | null;
  short_description_en: string | null;
  long_description_de: string | null;
  long_description_en: string | null;
  categories: string[];
  features: string[];
  licence: string | null;
  development_status: string | null;
  maintenance_type: string | null;
  repository_url: string | null;
  latest_release_version: string | null;
  latest_release_at: Date | string | null;
  publiccode_valid: boolean | null;
  active: boolean;
  created_at: Date | string;
  updated_at: Date | string;
  organisation_id: string;
  organisation_slug: string;
  organisation_name: string;
};

export const summaryColumns = sql`s.id, s.slug, s.name, s.short_description_de, s.short_description_en, s.long_description_de,
  s.long_description_en, s.categories, s.features, s.licence, s.development_status, s.maintenance_type, s.repository_url,
  s.latest_release_version, s.latest_release_at, s.publiccode_valid, s.active, s.created_at, s.updated_at,
  o.id AS organisation_id, o.slug AS organisation_slug, o.name AS organisation_name`;
