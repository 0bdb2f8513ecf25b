import { describe, expect, it } from 'vitest';
import { Bitset } from '../../src/domain/search/index/bitset';
import { PostingPool } from '../../src/domain/search/index/posting-pool';
import { TermIndex, TermIndexBuilder } from '../../src/domain/search/index/term-index';

/** The slots a lookup adds to an empty set, in order. */
function slotsOf(capacity: number, lookup: (target: Bitset) => void): number[] {
  const target = new Bitset(capacity);
  lookup(target);
  const slots: number[] = [];
  target.forEach((slot) => slots.push(slot));
  return slots;
}

describe('the term index built from the posting pool', () => {
  it('keeps every slot of lists that grow over many blocks and slabs, in order', () => {
    const capacity = 3_000_000;
    const pool = new PostingPool();
    const builder = new TermIndexBuilder(capacity, pool);
    // Three terms interleaved, so their blocks alternate within slabs; "rare" stays a list (1 slot in 100),
    // "wide" turns into a bitset (1 in 3), "edge" too, by its last slots only.
    const expected = new Map<string, number[]>([['rare', []], ['wide', []], ['edge', []]]);
    for (let slot = 0; slot < capacity; slot++) {
      const terms: string[] = [];
      if (slot % 100 === 7) terms.push('rare');
      if (slot % 3 === 0) terms.push('wide');
      if (slot >= capacity - 100_000) terms.push('edge');
      // A term named twice for one slot counts once.
      builder.add(slot, [...terms, ...terms]);
      for (const term of terms) expected.get(term)!.push(slot);
    }
    expect(builder.byTerm.get('rare')).not.toBeInstanceOf(Bitset);
    expect(builder.byTerm.get('wide')).toBeInstanceOf(Bitset);
    expect(builder.byTerm.get('edge')).toBeInstanceOf(Bitset);
    const index = new TermIndex(builder);
    for (const [term, slots] of expected) expect(slotsOf(capacity, (t) => index.addTerm(t, term))).toEqual(slots);
  });

  it('finds terms by prefix and by a part, base and recent documents alike', () => {
    const builder = new TermIndexBuilder(100, new PostingPool());
    builder.add(0, ['parkhaus', 'parken']);
    builder.add(1, ['parkplatz']);
    builder.add(2, ['bahnhof']);
    // A long term (V8 keeps long substrings as slices of their parent text): found like any other.
    const long = 'parkraumbewirtschaftungssystem';
    builder.add(3, `x\u001f${long}`.split('\u001f').slice(1));
    const index = new TermIndex(builder);
    index.addRecent(4, ['parkuhr']);
    expect(slotsOf(100, (t) => index.addPrefix(t, 'park'))).toEqual([0, 1, 3, 4]);
    expect(slotsOf(100, (t) => index.addContaining(t, 'hof'))).toEqual([2]);
    expect(slotsOf(100, (t) => index.addTerm(t, long))).toEqual([3]);
    expect(slotsOf(100, (t) => index.addTerm(t, 'parkhausx'))).toEqual([]);
  });

  it('tells whether one slot holds a term or a prefix exactly as the sets built from the postings do', () => {
    const capacity = 4_000;
    const builder = new TermIndexBuilder(capacity, new PostingPool());
    // "parken" in every third slot becomes a bitset; the others stay sorted lists of a few slots.
    for (let slot = 0; slot < 3_000; slot++) {
      const terms = slot % 3 === 0 ? ['parken'] : [];
      if (slot % 250 === 1) terms.push('parkhaus');
      if (slot % 700 === 5) terms.push('bahnhof');
      builder.add(slot, terms);
    }
    expect(builder.byTerm.get('parken')).toBeInstanceOf(Bitset);
    const index = new TermIndex(builder);
    index.addRecent(3_500, ['parkuhr', 'bahnhof']);
    const lookups: [string, boolean][] = [['parken', false], ['parkhaus', false], ['bahnhof', false], ['park', true], ['parkh', true], ['bahn', true], ['parkuhr', false], ['zoo', false], ['zo', true]];
    for (const [term, prefix] of lookups) {
      const slots = new Set(slotsOf(capacity, (t) => (prefix ? index.addPrefix(t, term) : index.addTerm(t, term))));
      const held = Array.from({ length: capacity }, (_, slot) => slot).filter((slot) => index.holds(slot, term, prefix));
      expect(held, `${term}${prefix ? ':*' : ''}`).toEqual([...slots]);
    }
  });
});
