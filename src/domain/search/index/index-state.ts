import { splitLexemes, type IndexedRow } from '../../../db/queries/search.queries';
import { Bitset } from './bitset';
import { FacetSets } from './facet-sets';
import { LRUCache } from 'lru-cache';
import { WordCache } from './word-cache';
import type { Db } from '../../../db/client';
import type { Words } from '../text-query';
import { PostingPool } from './posting-pool';
import { TermIndex, TermIndexBuilder } from './term-index';
import { DocTable } from './doc-table';

/** An entry's facet columns and ranking key, as read: FacetSets takes its values when it is added. */
export type IndexedDoc = {
  id: string;
  slug: string;
  active: boolean;
  /** The boost in millionths (numeric(7,6)). */
  boost: number;
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
  originHub: string | null;
};

/**
 * One copy of each repeated value (organisation ids, facet values and their lists): 100 000
 * documents share a few thousand of them. Halved the index's heap at 100 000 entries.
 */
class Interner {
  private readonly strings = new Map<string, string>();
  private readonly lists = new Map<string, readonly string[]>();

  string<T extends string | null>(value: T): T {
    if (value === null) return value;
    const known = this.strings.get(value);
    if (known !== undefined) return known as T;
    this.strings.set(value, value);
    return value;
  }

  list(values: string[]): string[] {
    const key = values.join('\u001f');
    let known = this.lists.get(key);
    if (!known) this.lists.set(key, (known = Object.freeze(values.map((v) => this.string(v)))));
    return known as string[];
  }
}

/**
 * Bytes of word sets (a word's slots in a field or a field class) kept across searches: 4 MB is
 * about 300 sets at 100 000 entries (13 KB each). A long tail of distinct queries still repeats
 * its words: in bench:search's long tail most words were evaluated before, and evaluating a word
 * (prefix ranges, postings ORed into a set) was the larger part of a search's own CPU.
 */
const WORD_SETS_BYTES = 4 * 1024 * 1024;

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

function docOf(row: IndexedRow, intern: Interner): IndexedDoc {
  return {
    id: row.software_id,
    slug: row.slug,
    active: row.active,
    boost: micro(row.boost),
    organisationId: intern.string(row.organisation_id),
    licenceKeys: intern.list(row.licence_keys),
    licenceChoices: intern.list(row.licence_choices),
    categories: intern.list(row.categories),
    states: intern.list(row.states),
    organisationKind: intern.string(row.organisation_kind),
    developmentStatus: intern.string(row.development_status),
    cohortYear: row.cohort_year,
    productionReuse: row.production_reuse,
    confirmedReuse: row.confirmed_reuse,
    transferPackage: intern.string(row.transfer_package),
    originHub: intern.string(row.origin_hub),
  };
}

/** Collects the base of an IndexState page by page, so only one page of rows is held at a time. */
export class IndexBuilder {
  readonly docs: DocTable;
  readonly builders: Record<Field, TermIndexBuilder>;
  readonly facets: FacetSets;
  readonly intern = new Interner();

  constructor(readonly capacity: number) {
    this.docs = new DocTable(capacity);
    this.facets = new FacetSets(capacity);
    const pool = new PostingPool();
    this.builders = Object.fromEntries(FIELDS.map((f) => [f, new TermIndexBuilder(capacity, pool)])) as Record<Field, TermIndexBuilder>;
  }

  /** False when the rows do not fit the capacity (entries were added during the load). */
  add(rows: IndexedRow[]): boolean {
    if (this.docs.size + rows.length > this.capacity) return false;
    for (const row of rows) {
      const doc = docOf(row, this.intern);
      const slot = this.docs.push(doc);
      this.facets.add(slot, doc);
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
  readonly docs: DocTable;
  readonly alive: Bitset;
  readonly facets: FacetSets;
  readonly fields: Record<Field, TermIndex>;
  /** Base slots in ranking order; recent slots are merged in at query time. */
  readonly rankOrder: Uint32Array;
  /** A base slot's position in rankOrder. */
  readonly rankPosition: Uint32Array;
  readonly baseSize: number;
  readonly capacity: number;
  private readonly wordCache = new WordCache();
  /** Word sets by IndexQuery's keys, for this state as it is: emptied when changes are applied. Never changed in place. */
  readonly wordSets = new LRUCache<string, Bitset>({ maxSize: WORD_SETS_BYTES, sizeCalculation: (set) => set.words.byteLength });
  private readonly intern: Interner;

  constructor(
    built: IndexBuilder,
    public revision: bigint,
  ) {
    this.docs = built.docs;
    this.capacity = built.capacity;
    this.intern = built.intern;
    this.alive = new Bitset(this.capacity);
    this.facets = built.facets;
    this.docs.seal();
    this.baseSize = this.docs.size;
    for (let slot = 0; slot < this.baseSize; slot++) this.alive.add(slot);
    this.fields = Object.fromEntries(FIELDS.map((f) => [f, new TermIndex(built.builders[f])])) as Record<Field, TermIndex>;
    const order = Array.from({ length: this.baseSize }, (_, i) => i);
    order.sort((a, b) => this.docs.compare(a, b));
    this.rankOrder = Uint32Array.from(order);
    this.rankPosition = new Uint32Array(this.baseSize);
    this.rankOrder.forEach((slot, position) => {
      this.rankPosition[slot] = position;
    });
  }

  /** The first rank position after (boost, slug) in ranking order: a binary search of rankOrder. */
  positionAfter(after: { boost: number; slug: string }): number {
    let lo = 0;
    let hi = this.rankOrder.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (!this.docs.after(this.rankOrder[mid]!, after)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Word analysis, kept for this state's revision. */
  words(db: Db): Words {
    return this.wordCache.at(db, this.revision);
  }

  /** Slots written since the base was built. */
  get recentSlots(): number[] {
    const slots: number[] = [];
    for (let slot = this.baseSize; slot < this.docs.size; slot++) if (this.alive.has(slot)) slots.push(slot);
    return slots;
  }

  /**
   * Applies the entries changed up to `revision`: `ids` changed (or were deleted), `rows` are
   * their current documents. False when the room for recent documents is used up.
   */
  apply(ids: string[], rows: IndexedRow[], revision: bigint): boolean {
    if (this.docs.size + rows.length > this.capacity) return false;
    this.wordSets.clear();
    for (const id of ids) {
      const slot = this.docs.slotOf(id);
      if (slot !== undefined) this.leave(slot);
      this.docs.forget(id);
    }
    for (const row of rows) {
      const old = this.docs.slotOf(row.software_id);
      if (old !== undefined) this.leave(old);
      const doc = docOf(row, this.intern);
      const slot = this.docs.push(doc);
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
