import type { Db } from '../../db/client';
import { correctWords, prepareWords, type PreparedWord, type TextQuery } from '../../db/queries/search.queries';
import { orOfLexemes, queryWords, tsqueryLexemes } from './query-words';

/** Corrections per misspelt word and how close they must be (pg_trgm similarity, 0–1). 0.4 keeps
 * "buergerbeteilgung" → "burgerbeteiligung" (0.7) and drops unrelated words sharing a syllable. */
const CORRECTIONS_PER_WORD = 3;
const MIN_SIMILARITY = 0.4;
/** Compound parts are searched as substrings from this length on: shorter ones ("app") hit
 * unrelated words ("Wappen") and make the trigram scan expensive. */
const MIN_COMPOUND_PART = 5;

/** exact: every word as typed (stems, compound parts); fuzzy: misspelt words corrected; partial: no
 * entry has every word, so entries with any of them, best first. */
export type Mode = 'exact' | 'fuzzy' | 'partial';

export type Prepared = { words: PreparedWord[]; text: TextQuery; lexemes: string[]; corrections: { word: string; terms: string[] }[] };

/** Builds the text query: per word its tsquery and compound pattern, optionally with corrections. */
export async function buildTextQuery(db: Db, q: string, mode: Mode, analysed?: PreparedWord[]): Promise<Prepared | null> {
  const prepared = (analysed ?? (await prepareWords(db, queryWords(q)))).filter((w) => w.tsquery !== null);
  if (prepared.length === 0) return null;
  const extra = new Map<string, { term: string; tsquery: string | null }[]>();
  if (mode === 'fuzzy') {
    const unknown = prepared.filter((w) => !w.known && w.fold.length >= 4).map((w) => w.fold);
    for (const c of await correctWords(db, { folds: unknown, perWord: CORRECTIONS_PER_WORD, minSimilarity: MIN_SIMILARITY })) {
      extra.set(c.fold, [...(extra.get(c.fold) ?? []), c]);
    }
  }
  const lexemes: string[] = [];
  const text: TextQuery = {
    words: prepared.map((w) => {
      const alternatives = [w.tsquery!, ...(extra.get(w.fold) ?? []).flatMap((c) => (c.tsquery ? [c.tsquery] : []))];
      const folds = [w.fold, ...(extra.get(w.fold) ?? []).map((c) => c.term)];
      lexemes.push(...folds, ...alternatives.flatMap(tsqueryLexemes));
      return {
        tsquery: orOfLexemes(alternatives),
        patterns: folds.filter((f) => f.length >= MIN_COMPOUND_PART && /^[a-z0-9]+$/.test(f)).map((f) => `%${f}%`),
      };
    }),
    any: '',
  };
  text.any = orOfLexemes(text.words.map((w) => w.tsquery));
  const corrections = [...extra].map(([word, found]) => ({ word, terms: found.map((c) => c.term) }));
  return { words: prepared, text, lexemes, corrections };
}

/** Any of the words instead of all of them: one word whose tsquery is the OR of theirs, with all their compound parts. */
export function anyWord(prepared: Prepared): Prepared {
  const word = { tsquery: prepared.text.any, patterns: [...new Set(prepared.text.words.flatMap((w) => w.patterns))] };
  return { ...prepared, text: { words: [word], any: prepared.text.any }, corrections: [] };
}
