import { FACET_KEYS, TIER, type FacetCountRow, type FacetKey, type Level, type MatchedVectors, type RankKey, type SearchFilter, type TextQuery, type Tier, type WordMatch } from '../../../db/queries/search.queries';
import { Bitset } from './bitset';
import type { RankedDoc } from './doc-table';
import { micro, type Field, type IndexState } from './index-state';
import { MEMORY_FACETS } from './memory-facets';
import { compareCodePoints } from './term-index';
import { evaluate, holds, parseTsQuery, UnsupportedQuery, type TsQuery } from './tsquery';

/**
 * The search statements of src/db/queries/search/ (ranked.queries.ts, facets.queries.ts) answered
 * on the in-process index, with the same rules: a word reaches a field class through its tsquery
 * in that class's vectors or a compound part in its folded texts (text.ts `wordReaches`), a hit's
 * tier is the best class every word reaches (tiers.ts), hits are ordered by boost and slug, and
 * facets count entries with every word in the primary fields or the long descriptions. The
 * differential test (test/search/index-engine.test.ts) holds both to the same answers.
 */
export class IndexQuery {
  private readonly size: number;

  constructor(private readonly state: IndexState) {
    this.size = state.capacity;
  }

  /**
   * One pass over the documents: the alive, active ones of the organisations asked for (`base`),
   * and per filtered facet those passing its filter.
   */
  private filterSets(filter: SearchFilter): { base: Bitset; facets: Map<FacetKey, Bitset> } {
    const sets = this.state.facets;
    const base = sets.active.clone();
    if (filter.origin) base.and(sets.fromOrigin(filter.origin));
    if (filter.organisationIds?.length) {
      const organisations = new Set(filter.organisationIds);
      base.forEach((slot) => {
        if (!organisations.has(this.state.docs.organisation(slot))) base.remove(slot);
      });
    }
    const facets = new Map<FacetKey, Bitset>();
    for (const key of FACET_KEYS) {
      const values = MEMORY_FACETS[key].selected(filter);
      if (values) facets.set(key, sets.passing(key, values));
    }
    return { base, facets };
  }

  /** baseCondition without text: alive, active, the organisations and every facet filter but `except`'s. */
  filtered(filter: SearchFilter, except?: FacetKey): Bitset {
    const { base, facets } = this.filterSets(filter);
    for (const [key, set] of facets) if (key !== except) base.and(set);
    return base;
  }

  /** One word's tsquery in one field. */
  private field(tsquery: string, field: Field): Bitset {
    const key = fieldKey(field, tsquery);
    let set = this.state.wordSets.get(key);
    if (!set) {
      set = evaluate(parseTsQuery(tsquery), this.state.fields[field], this.size, this.state.alive);
      this.state.wordSets.set(key, set);
    }
    return set;
  }

  private containing(patterns: readonly string[], field: 'nameWords' | 'keywordWords', into: Bitset): void {
    for (const pattern of patterns) {
      const part = /^%([a-z0-9]+)%$/.exec(pattern)?.[1];
      if (!part) throw new UnsupportedQuery(`compound pattern ${pattern}`);
      this.state.fields[field].addContaining(into, part);
    }
  }

  /** wordReaches(w, level) of text.ts. */
  wordReaches(w: WordMatch, level: Level): Bitset {
    const key = `${level}\n${w.tsquery}\n${w.patterns.join(' ')}\n${(w.keywordPatterns ?? []).join(' ')}`;
    let set = this.state.wordSets.get(key);
    if (set) return set;
    set = this.field(w.tsquery, 'name').clone();
    if (level !== 'name') set.or(this.field(w.tsquery, 'short'));
    const upper = level === 'name' || level === 'short';
    if (!upper) set.or(this.field(w.tsquery, 'more'));
    this.containing(w.patterns, upper ? 'nameWords' : 'keywordWords', set);
    if (!upper) this.containing(w.keywordPatterns ?? [], 'keywordWords', set);
    if (level === 'long' || level === 'readme') set.or(this.field(w.tsquery, 'long'));
    if (level === 'readme') set.or(this.field(w.tsquery, 'readme'));
    this.state.wordSets.set(key, set);
    return set;
  }

  /** reaches(text, level): every word reaches the class. */
  reaches(text: TextQuery, level: Level): Bitset {
    const set = this.wordReaches(text.words[0]!, level).clone();
    for (const w of text.words.slice(1)) set.and(this.wordReaches(w, level));
    return set;
  }

  /** tierCondition of tiers.ts. */
  tier(text: TextQuery, tier: Tier): Bitset {
    switch (tier) {
      case TIER.name:
        return this.reaches(text, 'name');
      case TIER.short:
        return this.reaches(text, 'short').andNot(this.reaches(text, 'name'));
      case TIER.keywords:
        return this.reaches(text, 'keywords').andNot(this.reaches(text, 'short'));
      case TIER.long:
        return this.field(text.any, 'long').clone().and(this.reaches(text, 'long')).andNot(this.reaches(text, 'keywords'));
      case TIER.readme:
        return this.field(text.any, 'readme').clone().and(this.reaches(text, 'readme')).andNot(this.reaches(text, 'long'));
    }
  }

  /** searchSoftwareRanked: per tier (best first) in boost and slug order after the cursor, `limit` in all. */
  ranked(input: { text: TextQuery; filter: SearchFilter; tiers: readonly Tier[]; after?: RankKey; limit: number }): { tier: Tier; doc: RankedDoc; slot: number }[] {
    const { after } = input;
    const hits: { tier: Tier; doc: RankedDoc; slot: number }[] = [];
    if (input.limit <= 0) return hits;
    const filter = this.filtered(input.filter);
    const cursor = after ? { boost: micro(after.boost), slug: after.slug } : null;
    for (const tier of input.tiers) {
      if (after && tier > after.tier) continue;
      const set = this.tier(input.text, tier).and(filter);
      const from = cursor && tier === after!.tier ? cursor : null;
      for (const slot of this.inRankOrder(set, from, input.limit - hits.length)) hits.push({ tier, doc: this.state.docs.ranked(slot), slot });
      if (hits.length >= input.limit) break;
    }
    return hits;
  }

  /**
   * The vectors of a hit that hold a word of `any` (the OR of the query's words), as hitDetails in
   * ranked.queries.ts checks them: the README level only for hits in the long-description tier or
   * below. From a field's set when a search built it already, else by looking the hit's slot up in
   * the terms' postings: `any` of several words is new to nearly every search, and building its
   * set in five fields for a page of hits was a tenth of a multi-word search's CPU.
   */
  matched(any: string, slot: number, tier: Tier): MatchedVectors {
    const has = (field: Field) => {
      const set = this.state.wordSets.peek(fieldKey(field, any));
      return set ? set.has(slot) : holds(this.parsed(any), this.state.fields[field], slot);
    };
    return { name: has('name'), short: has('short'), more: has('more'), long: has('long'), readme: tier <= TIER.long && has('readme') };
  }

  private readonly parsedQueries = new Map<string, TsQuery>();

  private parsed(tsquery: string): TsQuery {
    let query = this.parsedQueries.get(tsquery);
    if (!query) this.parsedQueries.set(tsquery, (query = parseTsQuery(tsquery)));
    return query;
  }

  /**
   * Up to `limit` slots of the set in ranking order, after the cursor's position when given. Base
   * slots by their rank position (rankPosition): a small set sorts its positions, a large one walks
   * the rank order until the page is full; recent slots are merged in by comparing documents.
   */
  private inRankOrder(set: Bitset, after: { boost: number; slug: string } | null, limit: number): number[] {
    const { docs, baseSize, rankOrder, rankPosition } = this.state;
    // The first base rank position after the cursor (rank order is boost descending, slug ascending).
    const start = after ? this.state.positionAfter(after) : 0;
    const base: number[] = [];
    if (set.count() <= 4096) {
      const positions: number[] = [];
      set.forEach((slot) => {
        if (slot < baseSize) {
          const position = rankPosition[slot]!;
          if (position >= start) positions.push(position);
        }
      });
      const sorted = Uint32Array.from(positions).sort();
      for (let i = 0; i < sorted.length && i < limit; i++) base.push(rankOrder[sorted[i]!]!);
    } else {
      for (let i = start; i < rankOrder.length && base.length < limit; i++) {
        const slot = rankOrder[i]!;
        if (set.has(slot)) base.push(slot);
      }
    }
    const recent = this.state.recentSlots.filter((slot) => set.has(slot) && (!after || docs.after(slot, after)));
    if (recent.length === 0) return base;
    return [...base, ...recent].sort((a, b) => docs.compare(a, b)).slice(0, limit);
  }

  /** everyWordFound: every word in some active entry's primary fields, or in any long description or README. */
  everyWordFound(text: TextQuery): boolean {
    const active = this.filtered({});
    return text.words.every(
      (w) => this.wordReaches(w, 'keywords').countAnd(active) > 0 || !this.field(w.tsquery, 'long').isEmpty() || !this.field(w.tsquery, 'readme').isEmpty(),
    );
  }

  /** facetCounts, always exact: the counts of every facet's values, each under the other facets' filters. */
  facetCounts(input: { text: TextQuery | null; filter: SearchFilter; maxValues: number }): { rows: FacetCountRow[]; matched: number } {
    const { base: matched, facets } = this.filterSets(input.filter);
    if (input.text) for (const w of input.text.words) matched.and(this.wordReaches(w, 'long'));
    const rows: FacetCountRow[] = [];
    for (const key of FACET_KEYS) {
      const facet = MEMORY_FACETS[key];
      const counted = matched.clone();
      for (const [other, set] of facets) if (other !== key) counted.and(set);
      const groups = new Map<string, { value: string; count: number }>();
      for (const [value, set] of this.state.facets.countedSets(key)) {
        const count = counted.countAnd(set);
        if (count === 0) continue;
        const group = facet.group ? facet.group(value) : value;
        const entry = groups.get(group);
        if (!entry) groups.set(group, { value, count });
        else {
          entry.count += count;
          if (compareCodePoints(value, entry.value) < 0) entry.value = value;
        }
      }
      const top = [...groups.values()].sort((a, b) => b.count - a.count || compareCodePoints(a.value, b.value)).slice(0, input.maxValues);
      for (const { value, count } of top) rows.push({ facet: key, value, count });
    }
    return { rows, matched: matched.count() };
  }
}

/** The wordSets key of one tsquery's set in one field. */
function fieldKey(field: Field, tsquery: string): string {
  return `${field}\n${tsquery}`;
}
