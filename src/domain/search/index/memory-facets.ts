import type { FacetKey, SearchFilter } from '../../../db/queries/search.queries';
import type { IndexedDoc } from './index-state';

type Value = string | number | boolean;

/**
 * The facets of src/db/queries/search/facets.ts (FACETS) on the index's documents: which values a
 * filter asks for, whether a document passes, and the values it is counted under. A new facet is a
 * row in FACETS and one here (the Record type asks for it).
 */
export type MemoryFacet = {
  selected(filter: SearchFilter): readonly Value[] | undefined;
  passes(doc: IndexedDoc, values: readonly Value[]): boolean;
  /** The values an entry is counted under, as the counting statement writes them (text). */
  counted(doc: IndexedDoc): readonly (string | null)[];
  /** Values counted together (licence: any case); the least member is shown. */
  group?(value: string): string;
};

const among = (value: Value | null, values: readonly Value[]) => value !== null && values.includes(value);
const overlaps = (have: readonly string[], values: readonly Value[]) => have.some((v) => values.includes(v));

export const MEMORY_FACETS: Record<FacetKey, MemoryFacet> = {
  licence: {
    selected: (f) => (f.licence?.length ? f.licence.map((id) => id.toLowerCase()) : undefined),
    passes: (d, v) => overlaps(d.licenceKeys, v),
    counted: (d) => d.licenceChoices,
    group: (value) => value.toLowerCase(),
  },
  category: { selected: (f) => (f.category?.length ? f.category : undefined), passes: (d, v) => overlaps(d.categories, v), counted: (d) => d.categories },
  state: { selected: (f) => (f.state?.length ? f.state : undefined), passes: (d, v) => overlaps(d.states, v), counted: (d) => d.states },
  organisationKind: {
    selected: (f) => (f.organisationKind?.length ? f.organisationKind : undefined),
    passes: (d, v) => among(d.organisationKind, v),
    counted: (d) => [d.organisationKind],
  },
  developmentStatus: {
    selected: (f) => (f.status?.length ? f.status : undefined),
    passes: (d, v) => among(d.developmentStatus, v),
    counted: (d) => [d.developmentStatus],
  },
  cohort: {
    selected: (f) => (f.cohort?.length ? f.cohort : undefined),
    passes: (d, v) => among(d.cohortYear, v),
    counted: (d) => [d.cohortYear === null ? null : String(d.cohortYear)],
  },
  productionReuse: {
    selected: (f) => (f.productionReuse === undefined ? undefined : [f.productionReuse]),
    passes: (d, v) => v.includes(d.productionReuse),
    counted: (d) => [String(d.productionReuse)],
  },
  confirmedReuse: {
    selected: (f) => (f.confirmedReuse === undefined ? undefined : [f.confirmedReuse]),
    passes: (d, v) => v.includes(d.confirmedReuse),
    counted: (d) => [String(d.confirmedReuse)],
  },
  transferPackage: {
    selected: (f) => (f.transferPackage?.length ? f.transferPackage : undefined),
    passes: (d, v) => among(d.transferPackage, v),
    counted: (d) => [d.transferPackage],
  },
};
