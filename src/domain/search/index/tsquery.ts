import { Bitset } from './bitset';
import type { TermIndex } from './term-index';

/**
 * The text form of a tsquery as PostgreSQL writes it ('park':* | 'parken' & !'bus'), parsed and
 * evaluated against one field's terms. What the search builds from th_word_query: lexemes, prefixes,
 * & | ! and parentheses. Phrase operators (<->) and weight restrictions (:A) are not evaluated
 * here: `UnsupportedQuery` sends such a search to the database.
 */
export type TsQuery =
  | { op: 'term'; term: string; prefix: boolean }
  | { op: 'and' | 'or'; left: TsQuery; right: TsQuery }
  | { op: 'not'; operand: TsQuery };

export class UnsupportedQuery extends Error {}

export function parseTsQuery(text: string): TsQuery {
  let i = 0;
  const space = () => {
    while (text[i] === ' ') i++;
  };
  const primary = (): TsQuery => {
    space();
    if (text[i] === '!') {
      i++;
      return { op: 'not', operand: primary() };
    }
    if (text[i] === '(') {
      i++;
      const inner = or();
      space();
      if (text[i] !== ')') throw new UnsupportedQuery(`tsquery: ) expected at ${i} in ${text}`);
      i++;
      return inner;
    }
    if (text[i] !== "'") throw new UnsupportedQuery(`tsquery: lexeme expected at ${i} in ${text}`);
    i++;
    let term = '';
    for (;;) {
      const c = text[i++];
      if (c === undefined) throw new UnsupportedQuery(`tsquery: unterminated lexeme in ${text}`);
      if (c === '\\') term += text[i++] ?? '';
      else if (c === "'" && text[i] === "'") {
        term += "'";
        i++;
      } else if (c === "'") break;
      else term += c;
    }
    let prefix = false;
    if (text[i] === ':') {
      i++;
      while (/[*A-D]/.test(text[i] ?? '')) {
        if (text[i] !== '*') throw new UnsupportedQuery(`tsquery: weights are not evaluated in memory (${text})`);
        prefix = true;
        i++;
      }
    }
    return { op: 'term', term, prefix };
  };
  const and = (): TsQuery => {
    let left = primary();
    for (;;) {
      space();
      if (text[i] === '<') throw new UnsupportedQuery(`tsquery: phrases are not evaluated in memory (${text})`);
      if (text[i] !== '&') return left;
      i++;
      left = { op: 'and', left, right: primary() };
    }
  };
  const or = (): TsQuery => {
    let left = and();
    for (;;) {
      space();
      if (text[i] !== '|') return left;
      i++;
      left = { op: 'or', left, right: and() };
    }
  };
  const query = or();
  space();
  if (i !== text.length) throw new UnsupportedQuery(`tsquery: unexpected ${text[i]} at ${i} in ${text}`);
  return query;
}

/** The slots (of `size`) whose field matches the query; `universe` is what a NOT is taken against. */
export function evaluate(query: TsQuery, field: TermIndex, size: number, universe: Bitset): Bitset {
  switch (query.op) {
    case 'term':
    case 'or': {
      const found = new Bitset(size);
      addMatches(query, field, found, universe);
      return found;
    }
    case 'and':
      return evaluate(query.left, field, size, universe).and(evaluate(query.right, field, size, universe));
    case 'not':
      return universe.clone().andNot(evaluate(query.operand, field, size, universe));
  }
}

/** Whether one slot (alive: a NOT is taken against the alive slots) matches the query. */
export function holds(query: TsQuery, field: TermIndex, slot: number): boolean {
  switch (query.op) {
    case 'term':
      return field.holds(slot, query.term, query.prefix);
    case 'and':
      return holds(query.left, field, slot) && holds(query.right, field, slot);
    case 'or':
      return holds(query.left, field, slot) || holds(query.right, field, slot);
    case 'not':
      return !holds(query.operand, field, slot);
  }
}

/**
 * Adds the query's slots to `into`. The terms of an OR (a word's stems, synonyms and corrections;
 * every word of `any`) go straight into one set: a set per term was a 13 KB allocation each, and
 * allocating them was a quarter of a multi-word search's CPU (profile of the long tail).
 */
function addMatches(query: TsQuery, field: TermIndex, into: Bitset, universe: Bitset): void {
  if (query.op === 'term') {
    if (query.prefix) field.addPrefix(into, query.term);
    else field.addTerm(into, query.term);
  } else if (query.op === 'or') {
    addMatches(query.left, field, into, universe);
    addMatches(query.right, field, into, universe);
  } else {
    into.or(evaluate(query, field, into.size, universe));
  }
}
