import { splitLexemes, type IndexedRow } from '../../../db/queries/search.queries';
import { Bitset } from './bitset';
import { FacetSets } from './facet-sets';
import { WordCache } from './word-cache';
import type { Db } from '../../../db/client';
import type { Words } from '../text-query';
import { compareCodePoints, TermIndex, TermIndexBuilder } from './term-index';

/** What the index keeps of an entry besides its terms: the ranking key and the facet columns. */
export type IndexedDoc = {
  id: string;
  slug: string;
  active: boolean;
  /** The boost in millionths (numeric(7,6)), and as PostgreSQL writes it. */
  boost: number;
  boostText: string;
  organisationId: string;
  licenceKeys: string[];
  licenceChoices: string[];
  categories: string[];
  states: string[];
  organisationKind: string;
  developmentStatus: string | null;
  cohortYear: number | null;
  productionReuse: boolean;
  confirmedReuse: boolean;
  transferPackage: string;
  /** Has a software_search_text row (the long description and README tiers need one). */
  hasText: boolean;
};

export const FIELDS = ['name', 'short', 'more', 'long', 'readme', 'nameWords', 'keywordWords'] as const;
export type Field = (typeof FIELDS)[number];

/** The words of a folded text a LIKE '%part%' with a part of letters and digits can match inside. */
const WORD_RUN = /[a-z0-9]+/g;

function termsOf(row: IndexedRow): Record<Field, Iterable<string>> {
  return {
    name: splitLexemes(row.name_lexemes),
    short: splitLexemes(row.short_lexemes),
    more: splitLexemes(row.more_lexemes),
    long: splitLexemes(row.long_lexemes),
    readme: splitLexemes(row.readme_lexemes),
    nameWords: new Set(row.name_fold.match(WORD_RUN) ?? []),
    keywordWords: new Set(row.keywords.match(WORD_RUN) ?? []),
  };
}

export function micro(boost: string): number {
  return Math.round(Number(boost) * 1_000_000);
}

function docOf(row: IndexedRow): IndexedDoc {
  return {
    id: row.software_id,
    slug: row.slug,
    active: row.active,
    boost: micro(row.boost),
    boostText: row.boost,
    organisationId: row.organisation_id,
    licenceKeys: row.licence_keys,
    licenceChoices: row.licence_choices,
    categories: row.categories,
    states: row.states,
    organisationKind: row.organisation_kind,
    developmentStatus: row.development_status,
    cohortYear: row.cohort_year,
    productionReuse: row.production_reuse,
    confirmedReuse: row.confirmed_reuse,
    transferPackage: row.transfer_package,
    hasText: row.long_lexemes !== null,
  };
}

/** Ranking order: boost descending, slug ascending (the SQL's ORDER BY boost DESC, slug). */
export function rankCompare(a: IndexedDoc, b: IndexedDoc): number {
  return b.boost - a.boost || compareCodePoints(a.slug, b.slug);
}

/** Collects the base of an IndexState page by page, so only one page of rows is held at a time. */
export class IndexBuilder {
  readonly docs: IndexedDoc[] = [];
  readonly builders: Record<Field, TermIndexBuilder>;

  constructor(readonly capacity: number) {
    this.builders = Object.fromEntries(FIELDS.map((f) => [f, new TermIndexBuilder(capacity)])) as Record<Field, TermIndexBuilder>;
  }

  /** False when the rows do not fit the capacity (entries were added during the load). */
  add(rows: IndexedRow[]): boolean {
    if (this.docs.length + rows.length > this.capacity) return false;
    for (const row of rows) {
      const slot = this.docs.length;
      this.docs.push(docOf(row));
      const terms = termsOf(row);
      for (const field of FIELDS) this.builders[field].add(slot, terms[field]);
    }
    return true;
  }

  finish(revision: bigint): IndexState {
    return new IndexState(this, revision);
  }
}

/**
 * The index at one catalogue revision. Slots are positions of documents: the base ones, loaded
 * together, and recent ones appended as entries change (the old slot of a changed or deleted entry
 * leaves `alive`). Bitsets are sized to `capacity`, the base plus room for recent changes; when the
 * room is used up the index is loaded anew (SearchIndex).
 */
export class IndexState {
  readonly docs: IndexedDoc[];
  readonly alive: Bitset;
  readonly facets: FacetSets;
  readonly fields: Record<Field, TermIndex>;
  private readonly slotOf = new Map<string, number>();
  /** Base slots in ranking order; recent slots are merged in at query time. */
  readonly rankOrder: Uint32Array;
  readonly baseSize: number;
  readonly capacity: number;
  private readonly wordCache = new WordCache();

  constructor(
    built: IndexBuilder,
    public revision: bigint,
  ) {
    this.docs = built.docs;
    this.capacity = built.capacity;
    this.alive = new Bitset(this.capacity);
    this.facets = new FacetSets(this.capacity);
    this.docs.forEach((doc, slot) => {
      this.alive.add(slot);
      this.facets.add(slot, doc);
      this.slotOf.set(doc.id, slot);
    });
    this.baseSize = this.docs.length;
    this.fields = Object.fromEntries(FIELDS.map((f) => [f, new TermIndex(built.builders[f])])) as Record<Field, TermIndex>;
    const order = Array.from({ length: this.baseSize }, (_, i) => i);
    order.sort((a, b) => rankCompare(this.docs[a]!, this.docs[b]!));
    this.rankOrder = Uint32Array.from(order);
  }

  /** Word analysis, kept for this state's revision. */
  words(db: Db): Words {
    return this.wordCache.at(db, this.revision);
  }

  /** Slots written since the base was built. */
  get recentSlots(): number[] {
    const slots: number[] = [];
    for (let slot = this.baseSize; slot < this.docs.length; slot++) if (this.alive.has(slot)) slots.push(slot);
    return slots;
  }

  /**
   * Applies the entries changed up to `revision`: `ids` changed (or were deleted), `rows` are
   * their current documents. False when the room for recent documents is used up.
   */
  apply(ids: string[], rows: IndexedRow[], revision: bigint): boolean {
    if (this.docs.length + rows.length > this.capacity) return false;
    for (const id of ids) {
      const slot = this.slotOf.get(id);
      if (slot !== undefined) this.leave(slot);
      this.slotOf.delete(id);
    }
    for (const row of rows) {
      const old = this.slotOf.get(row.software_id);
      if (old !== undefined) this.leave(old);
      const slot = this.docs.length;
      const doc = docOf(row);
      this.docs.push(doc);
      this.slotOf.set(row.software_id, slot);
      this.alive.add(slot);
      this.facets.add(slot, doc);
      const terms = termsOf(row);
      for (const field of FIELDS) this.fields[field].addRecent(slot, terms[field]);
    }
    this.revision = revision;
    return true;
  }

  private leave(slot: number): void {
    this.alive.remove(slot);
    this.facets.remove(slot);
  }
}
