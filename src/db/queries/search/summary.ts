import { sql } from 'drizzle-orm';

/**
 * What a result list shows of an entry (the summary, its reuse counts by other organisations and
 * its provenance), without README and publiccode.yml. The counts and the provenance are the search
 * document's (migration 0021), so a statement reading these columns joins software_search as ss;
 * the organisation's provenance is its federation_record row, joined as ofr (organisationProvenanceJoin).
 */
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
  /** Reuse by other organisations, not withdrawn or retired (th_reuse_recount); disputed apart. */
  reuses_total: number;
  reuses_confirmed: number;
  reuses_disputed: number;
  reuses_production: number;
  reuses_confirmed_production: number;
  /** The origin hub of a mirrored entry (null: local) and when it was last received. */
  origin_hub: string | null;
  received_at: Date | string | null;
  /** The same of its publishing organisation (organisationProvenanceJoin). */
  organisation_origin_hub: string | null;
  organisation_received_at: Date | string | null;
};

export const summaryColumns = sql`s.id, s.slug, s.name, s.short_description_de, s.short_description_en, s.long_description_de,
  s.long_description_en, s.categories, s.features, s.licence, s.development_status, s.maintenance_type, s.repository_url,
  s.latest_release_version, s.latest_release_at, s.publiccode_valid, s.active, s.created_at, s.updated_at,
  o.id AS organisation_id, o.slug AS organisation_slug, o.name AS organisation_name,
  ss.reuse_count AS reuses_total, ss.confirmed_reuse_count AS reuses_confirmed, ss.disputed_reuse_count AS reuses_disputed,
  ss.production_reuse_count AS reuses_production, ss.confirmed_production_count AS reuses_confirmed_production,
  ss.origin_hub, ss.received_at, ofr.origin_hub AS organisation_origin_hub, ofr.received_at AS organisation_received_at`;

/**
 * The publishing organisation's federation_record row for summaryColumns, after the join of
 * organisation o: a probe of its primary key per row of the page, not a statement of its own.
 */
export const organisationProvenanceJoin = sql`LEFT JOIN federation_record ofr ON ofr.type = 'organisation' AND ofr.record_id = o.id`;
