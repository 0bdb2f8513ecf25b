import { sql, type SQL } from 'drizzle-orm';
import type { OriginFilter } from '../federation-provenance.queries';
import { arrayLiteral, param, type ArrayType } from './statement';

/**
 * The facets of a search, as one table: how a facet filters (`where`) and how it is counted
 * (`values`). Everything about facets in the search queries (filter conditions, the counting
 * statement, the answer's facet keys) is read from this table.
 *
 * Adding a facet, e.g. `confirmedReuse` once software_search has a `confirmed_reuse` column:
 *   1. add `confirmedReuse?: boolean` to SearchFilter below (and to the route's query schema);
 *   2. add a row here: { selected: (f) => (f.confirmedReuse === undefined ? undefined : [f.confirmedReuse]),
 *      type: 'boolean', where: (v) => sql`ss.confirmed_reuse = ANY(${v})`, column: sql`ss.confirmed_reuse`,
 *      value: (v) => sql`${v}::text` };
 *   3. add a test counting it (test/search/facets.test.ts).
 */
export type SearchFilter = {
  organisationIds?: string[];
  /** Only local records, or only those mirrored from one origin hub (not a facet: no counts). */
  origin?: OriginFilter;
  licence?: string[];
  category?: string[];
  status?: string[];
  state?: string[];
  organisationKind?: string[];
  cohort?: number[];
  productionReuse?: boolean;
  confirmedReuse?: boolean;
  transferPackage?: TransferBand[];
};

/**
 * Transfer-package completeness in bands (software_search.transfer_package, th_transfer_band in
 * migration 0013): none of the applicable kinds, under half, half or more, all. Bands, not the
 * share itself: a facet needs few values, and "at least half" is two of them chosen together.
 */
export const TRANSFER_BANDS = ['none', 'under-half', 'half-or-more', 'complete'] as const;
export type TransferBand = (typeof TRANSFER_BANDS)[number];

export type FacetSpec = {
  /** The values the filter asks for (OR within a facet), or undefined when the facet is not filtered. */
  selected(filter: SearchFilter): readonly (string | number | boolean)[] | undefined;
  type: ArrayType;
  /** The condition on software_search ss, given the selected values as an array. */
  where(values: SQL): SQL;
  /** What the counting statement carries per matched entry (as m.v_<key>). */
  column: SQL;
  /** One entry's values of the facet, given its carried column: the column, or a set (unnest) for array columns. */
  value(carried: SQL): SQL;
  /** Values counted together (default: the value itself); the shown value is the least of the group. */
  group?: SQL;
};

export const FACETS = {
  // Entries one may use under one of the licences (migration 0005_licence_choices), any case: the
  // facet counts per lower-case id, so each value's count is what filtering by it gives.
  licence: {
    selected: (f) => (f.licence?.length ? f.licence.map((id) => id.toLowerCase()) : undefined),
    type: 'text',
    where: (v) => sql`ss.licence_keys && ${v}`,
    column: sql`ss.licence_choices`,
    value: (v) => sql`unnest(${v})`,
    group: sql`lower(x.v)`,
  },
  category: {
    selected: (f) => (f.category?.length ? f.category : undefined),
    type: 'text',
    where: (v) => sql`ss.categories && ${v}`,
    column: sql`ss.categories`,
    value: (v) => sql`unnest(${v})`,
  },
  state: {
    selected: (f) => (f.state?.length ? f.state : undefined),
    type: 'text',
    where: (v) => sql`ss.states && ${v}`,
    column: sql`ss.states`,
    value: (v) => sql`unnest(${v})`,
  },
  organisationKind: {
    selected: (f) => (f.organisationKind?.length ? f.organisationKind : undefined),
    type: 'text',
    where: (v) => sql`ss.organisation_kind = ANY(${v})`,
    column: sql`ss.organisation_kind`,
    value: (v) => v,
  },
  developmentStatus: {
    selected: (f) => (f.status?.length ? f.status : undefined),
    type: 'text',
    where: (v) => sql`ss.development_status = ANY(${v})`,
    column: sql`ss.development_status`,
    value: (v) => v,
  },
  cohort: {
    selected: (f) => (f.cohort?.length ? f.cohort : undefined),
    type: 'int',
    where: (v) => sql`ss.cohort_year = ANY(${v})`,
    column: sql`ss.cohort_year`,
    value: (v) => sql`${v}::text`,
  },
  productionReuse: {
    selected: (f) => (f.productionReuse === undefined ? undefined : [f.productionReuse]),
    type: 'boolean',
    where: (v) => sql`ss.production_reuse = ANY(${v})`,
    column: sql`ss.production_reuse`,
    value: (v) => sql`${v}::text`,
  },
  // A reuse the producer confirmed, by another organisation (migration 0011_knowledge_transfer keeps the column).
  confirmedReuse: {
    selected: (f) => (f.confirmedReuse === undefined ? undefined : [f.confirmedReuse]),
    type: 'boolean',
    where: (v) => sql`ss.confirmed_reuse = ANY(${v})`,
    column: sql`ss.confirmed_reuse`,
    value: (v) => sql`${v}::text`,
  },
  // The band of the transfer package's completeness (migration 0013 keeps the column).
  transferPackage: {
    selected: (f) => (f.transferPackage?.length ? f.transferPackage : undefined),
    type: 'text',
    where: (v) => sql`ss.transfer_package = ANY(${v})`,
    column: sql`ss.transfer_package`,
    value: (v) => v,
  },
} satisfies Record<string, FacetSpec>;

export type FacetKey = keyof typeof FACETS;
export const FACET_KEYS = Object.keys(FACETS) as FacetKey[];

/**
 * Facet filters as SQL, one entry per facet; `true` where the facet is not filtered. With
 * `literals` the values are written into the text (statements carrying query words, see statement.ts).
 */
export function facetConditions(filter: SearchFilter, literals = false): Record<FacetKey, SQL> {
  const conditions = {} as Record<FacetKey, SQL>;
  for (const key of FACET_KEYS) {
    const spec: FacetSpec = FACETS[key];
    const values = spec.selected(filter);
    conditions[key] = values ? spec.where(literals ? arrayLiteral(values, spec.type) : param(values, spec.type)) : sql`true`;
  }
  return conditions;
}

/** The filter without any facet's values: what facet counts start from (each facet applies the others). */
export function withoutFacets(filter: SearchFilter): SearchFilter {
  return { organisationIds: filter.organisationIds, origin: filter.origin };
}
