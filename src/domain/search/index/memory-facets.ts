import type { FacetKey, SearchFilter } from '../../../db/queries/search.queries';
import type { IndexedDoc } from './index-state';

export type FacetValue = string | number | boolean;
type Value = FacetValue;

/**
 * The facets of src/db/queries/search/facets.ts (FACETS) on the index's documents: which values a
 * filter asks for, whether a document passes, and the values it is counted under. A new facet is a
 * row in FACETS and one here (the Record type asks for it).
 */
export type MemoryFacet = {
  selected(filter: SearchFilter): readonly Value[] | undefined;
  /** The values a filter may name to select the document (OR within a facet, as FACETS' `where`). */
  keys(doc: IndexedDoc): readonly (Value | null)[];
  /** The values an entry is counted under, as the counting statement writes them (text). */
  counted(doc: IndexedDoc): readonly (string | null)[];
  /** Values counted together (licence: any case); the least member is shown. */
  group?(value: string): string;
};


export const MEMORY_FACETS: Record<FacetKey, MemoryFacet> = {
  licence: {
    selected: (f) => (f.licence?.length ? f.licence.map((id) => id.toLowerCase()) : undefined),
    keys: (d) => d.licenceKeys,
    counted: (d) => d.licenceChoices,
    group: (value) => value.toLowerCase(),
  },
  category: { selected: (f) => (f.category?.length ? f.category : undefined), keys: (d) => d.categories, counted: (d) => d.categories },
  state: { selected: (f) => (f.state?.length ? f.state : undefined), keys: (d) => d.states, counted: (d) => d.states },
  organisationKind: {
    selected: (f) => (f.organisationKind?.length ? f.organisationKind : undefined),
    keys: (d) => [d.organisationKind],
    counted: (d) => [d.organisationKind],
  },
  developmentStatus: {
    selected: (f) => (f.status?.length ? f.status : undefined),
    keys: (d) => [d.developmentStatus],
    counted: (d) => [d.developmentStatus],
  },
  cohort: {
    selected: (f) => (f.cohort?.length ? f.cohort : undefined),
    keys: (d) => [d.cohortYear],
    counted: (d) => [d.cohortYear === null ? null : String(d.cohortYear)],
  },
  productionReuse: {
    selected: (f) => (f.productionReuse === undefined ? undefined : [f.productionReuse]),
    keys: (d) => [d.productionReuse],
    counted: (d) => [String(d.productionReuse)],
  },
  confirmedReuse: {
    selected: (f) => (f.confirmedReuse === undefined ? undefined : [f.confirmedReuse]),
    keys: (d) => [d.confirmedReuse],
    counted: (d) => [String(d.confirmedReuse)],
  },
  transferPackage: {
    selected: (f) => (f.transferPackage?.length ? f.transferPackage : undefined),
    keys: (d) => [d.transferPackage],
    counted: (d) => [d.transferPackage],
  },
};
