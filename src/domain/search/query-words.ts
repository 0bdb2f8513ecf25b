import { detached } from '../../lib/detached-string';

/**
 * How typed text becomes query words, and the folding the database applies (th_fold in
 * migration 0001_search) mirrored in JavaScript for highlighting.
 */

/** Letters and digits in any script; everything else separates words. */
const WORD = /[\p{L}\p{N}]+/gu;
/** Beyond eight words a query is a pasted text, not a search; the rest adds cost, not precision. */
export const MAX_QUERY_WORDS = 8;
/** Longer "words" are hashes or URLs; 40 characters is longer than any German compound in use. */
const MAX_WORD_LENGTH = 40;

export type QueryWord = { text: string; prefix: boolean };

/**
 * The last word counts as a prefix while the user is still typing it (search-as-you-type);
 * a trailing space means it is finished. One-letter prefixes are too broad to help.
 */
export function queryWords(q: string): QueryWord[] {
  const words = (q.match(WORD) ?? []).slice(0, MAX_QUERY_WORDS).map((w) => w.slice(0, MAX_WORD_LENGTH));
  const typing = !/\s$/.test(q);
  return words
    .map((text, i) => ({ text, prefix: typing && i === words.length - 1 && text.length >= 2 }))
    .filter((w) => w.text.length >= 2 || words.length === 1);
}

/**
 * Folded words kept per process: highlighting and matched fields fold every word of the listed
 * descriptions, and the words of a language repeat (fold was ~3 % of the long tail's API CPU,
 * profiled). Up to 20 000 words of at most 40 characters, about 2 MB; emptied when full.
 */
const FOLDED_MAX = 20_000;
const FOLDED_WORD = 40;
const folded = new Map<string, string>();

/** Same result as the database's th_fold for the letters that matter in German texts. */
export function fold(text: string): string {
  if (text.length > FOLDED_WORD) return foldText(text);
  let result = folded.get(text);
  if (result === undefined) {
    if (folded.size >= FOLDED_MAX) folded.clear();
    // Kept words are copies: a word cut from a description would keep the description alive.
    const word = detached(text);
    folded.set(word, (result = foldText(word)));
  }
  return result;
}

function foldText(text: string): string {
  const lower = text.toLowerCase();
  // Plain ASCII needs no decomposition: highlighting folds every word of the listed descriptions,
  // and normalize('NFD') was the largest single cost of a search request in the API (profiled).
  if (!/[^\u0020-\u007e\s]/.test(lower)) return lower.replace(/ae/g, 'a').replace(/oe/g, 'o').replace(/ue/g, 'u');
  return lower
    .replace(/ß/g, 'ss')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/ae/g, 'a')
    .replace(/oe/g, 'o')
    .replace(/ue/g, 'u');
}

/** The lexemes of a tsquery in text form ('mangelmeld' | 'park':*), for highlighting. */
export function tsqueryLexemes(tsquery: string): string[] {
  return [...tsquery.matchAll(/'((?:[^']|'')+)'/g)].map((m) => m[1]!.replace(/''/g, "'"));
}

/**
 * OR of tsqueries that are themselves ORs of lexemes ('dat' | 'daten' | 'daten':*), without
 * repeats and without exact lexemes a prefix already covers ('daten':* covers 'daten'): fewer
 * index probes per word. Anything else (& ! <->) is joined unchanged.
 */
export function orOfLexemes(tsqueries: string[]): string {
  if (tsqueries.some((q) => /[&!<]/.test(q.replace(/'(?:[^']|'')*'/g, '')))) return tsqueries.map((q) => `(${q})`).join(' | ');
  const prefixes = new Set<string>();
  const exact = new Set<string>();
  for (const q of tsqueries) for (const m of q.matchAll(/'((?:[^']|'')*)'(:\*)?/g)) (m[2] ? prefixes : exact).add(m[1]!);
  const covered = (lexeme: string) => [...prefixes].some((p) => lexeme.startsWith(p));
  return [...[...prefixes].map((p) => `'${p}':*`), ...[...exact].filter((e) => !covered(e)).map((e) => `'${e}'`)].join(' | ');
}
