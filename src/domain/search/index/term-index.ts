import { Bitset } from './bitset';
import { PostingPool, type GrowingPosting } from './posting-pool';
import { detached } from '../../../lib/detached-string';

/**
 * One field's terms (a vector's lexemes, or the words of a folded text) and the slots holding
 * each: a base part built once, sorted for prefix ranges, and a small part for documents written
 * since (see SearchIndex). A term found in few slots keeps them as a sorted list; one found in
 * more than 1/32 of them as a bitset, which is then smaller (Roaring's rule, per term).
 */
export class TermIndex {
  private readonly terms: string[];
  private readonly postings: (Uint32Array | Bitset)[];
  private readonly position: Map<string, number>;
  private readonly recent = new Map<string, number[]>();

  constructor(builder: TermIndexBuilder) {
    this.terms = [...builder.byTerm.keys()].sort(compareCodePoints);
    this.position = new Map(this.terms.map((term, i) => [term, i]));
    this.postings = this.terms.map((term) => {
      const slots = builder.byTerm.get(term)!;
      return slots instanceof Bitset ? slots : PostingPool.finish(slots);
    });
  }

  /** A document written after the base was built. */
  addRecent(slot: number, terms: Iterable<string>): void {
    for (const term of terms) {
      const slots = this.recent.get(term);
      if (slots) slots.push(slot);
      else this.recent.set(term, [slot]);
    }
  }

  /** Adds the slots of one term to target. */
  addTerm(target: Bitset, term: string): void {
    const i = this.position.get(term);
    if (i !== undefined) addPosting(target, this.postings[i]!);
    for (const slot of this.recent.get(term) ?? []) target.add(slot);
  }

  /** Adds the slots of every term starting with prefix (a tsquery's 'word':*). */
  addPrefix(target: Bitset, prefix: string): void {
    for (let i = lowerBound(this.terms, prefix); i < this.terms.length && this.terms[i]!.startsWith(prefix); i++) {
      addPosting(target, this.postings[i]!);
    }
    for (const [term, slots] of this.recent) if (term.startsWith(prefix)) for (const slot of slots) target.add(slot);
  }

  /** Whether the slot holds the term, or with `prefix` a term starting with it: one hit's check, no set built. */
  holds(slot: number, term: string, prefix: boolean): boolean {
    if (!prefix) {
      const i = this.position.get(term);
      return (i !== undefined && postingHas(this.postings[i]!, slot)) || (this.recent.get(term)?.includes(slot) ?? false);
    }
    for (let i = lowerBound(this.terms, term); i < this.terms.length && this.terms[i]!.startsWith(term); i++) {
      if (postingHas(this.postings[i]!, slot)) return true;
    }
    for (const [recent, slots] of this.recent) if (recent.startsWith(term) && slots.includes(slot)) return true;
    return false;
  }

  /** Adds the slots of every term containing part (LIKE '%part%' on the words of a folded text). */
  addContaining(target: Bitset, part: string): void {
    for (let i = 0; i < this.terms.length; i++) if (this.terms[i]!.includes(part)) addPosting(target, this.postings[i]!);
    for (const [term, slots] of this.recent) if (term.includes(part)) for (const slot of slots) target.add(slot);
  }
}

/**
 * Collects the base's postings slot by slot (ascending) in a pool shared by the fields; a list
 * turns into a bitset once it is the larger.
 */
export class TermIndexBuilder {
  readonly byTerm = new Map<string, GrowingPosting | Bitset>();

  constructor(
    private readonly capacity: number,
    private readonly pool: PostingPool,
  ) {}

  add(slot: number, terms: Iterable<string>): void {
    for (const term of terms) {
      const slots = this.byTerm.get(term);
      if (!slots) this.byTerm.set(detached(term), this.pool.start(slot));
      else if (slots instanceof Bitset) slots.add(slot);
      else if (slots.last !== slot) {
        this.pool.push(slots, slot);
        if (slots.count * 32 > this.capacity) this.byTerm.set(term, Bitset.of(this.capacity, PostingPool.slots(slots)));
      }
    }
  }
}

function addPosting(target: Bitset, posting: Uint32Array | Bitset): void {
  if (posting instanceof Bitset) target.or(posting);
  else for (let i = 0; i < posting.length; i++) target.add(posting[i]!);
}

function postingHas(posting: Uint32Array | Bitset, slot: number): boolean {
  if (posting instanceof Bitset) return posting.has(slot);
  return posting[lowerBound(posting, slot)] === slot;
}

/** PostgreSQL's C collation: code points, as the index's terms and slugs are compared everywhere. */
export function compareCodePoints(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The first position in `sorted` whose value is not below `value`. */
function lowerBound<T extends string | number>(sorted: ArrayLike<T>, value: T): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
