import type { Db } from '../../db/client';
import { compoundTails, correctWords, prepareWords, type PreparedWord, type TextQuery } from '../../db/queries/search.queries';
import { orOfLexemes, queryWords, tsqueryLexemes, type QueryWord } from './query-words';
import { phraseLength, synonymsOf } from './synonyms';

/** Corrections per misspelt word and how close they must be (pg_trgm similarity, 0–1). 0.4 keeps
 * "buergerbeteilgung" → "burgerbeteiligung" (0.7) and drops unrelated words sharing a syllable. */
const CORRECTIONS_PER_WORD = 3;
const MIN_SIMILARITY = 0.4;
/** Corrections below this share of a word's best correction's similarity are dropped. */
const NEAR_BEST = 0.75;
/** A correction this close (pg_trgm similarity) means the word is a typo, not a new compound:
 * "ratsinformationsystem" → "ratsinformationssystem" 0.86, "terminbuchung" → "raumbuchung" 0.45. */
const TYPO_SIMILARITY = 0.6;
/** Compound parts are searched as substrings from this length on: shorter ones ("app") hit
 * unrelated words ("Wappen") and make the trigram scan expensive. */
const MIN_COMPOUND_PART = 5;

/** A compound's ending searched on its own has at least this many letters ("buchung", "karte"):
 * shorter endings ("amt", "app") are suffixes of unrelated words more often than compound parts. */
const COMPOUND_TAIL = 4;

/**
 * Where words are analysed (stems, vocabulary, corrections, compound endings): the database's
 * statements, or the same with answers kept per catalogue revision (index/word-cache.ts).
 */
export type Words = {
  prepare(words: { text: string; prefix: boolean }[]): Promise<PreparedWord[]>;
  correct(input: { folds: string[]; perWord: number; minSimilarity: number }): ReturnType<typeof correctWords>;
  tails(input: { folds: string[]; minPart: number }): ReturnType<typeof compoundTails>;
};

export function databaseWords(db: Db): Words {
  return {
    prepare: (words) => prepareWords(db, words),
    correct: (input) => correctWords(db, input),
    tails: (input) => compoundTails(db, input),
  };
}

/** exact: every word as typed (stems, compound parts); fuzzy: misspelt words corrected; partial: no
 * entry has every word, so entries with any of them, best first. */
export type Mode = 'exact' | 'fuzzy' | 'partial';

/** A typed word as the database analysed it, with its equivalents from the synonym table (each a tsquery). */
export type AnalysedWord = PreparedWord & { synonyms: { tsquery: string; folds: string[] }[] };

export type Prepared = { words: AnalysedWord[]; text: TextQuery; lexemes: string[]; corrections: { word: string; terms: string[] }[] };

/**
 * The typed words and their synonyms (synonyms.ts) analysed in one round trip; stop words dropped.
 * A synonym of several words ("waste collection") is the AND of its words.
 */
export async function analyseWords(words: Words, q: string): Promise<AnalysedWord[]> {
  const typed = typedWords(q);
  // A word still being typed that already equals a table member counts ("OZG" without a space).
  const synonyms = typed.map((w) => synonymsOf(w.text));
  const extra = synonyms.flat(2).map((text) => ({ text, prefix: false }));
  const analysed = await words.prepare([...typed, ...extra]);
  let next = typed.length;
  return typed
    .map((_, i) => {
      const word = analysed[i]!;
      let equivalentKnown = false;
      const equivalents = synonyms[i]!.flatMap((words) => {
        const parts = analysed.slice(next, (next += words.length));
        equivalentKnown ||= parts.every((p) => p.known);
        const queries = parts.flatMap((p) => (p.tsquery ? [p.tsquery] : []));
        if (queries.length === 0) return [];
        return [{ tsquery: queries.length === 1 ? queries[0]! : queries.map((t) => `(${t})`).join(' & '), folds: parts.map((p) => p.fold) }];
      });
      // A phrase of the table is no vocabulary term; it counts as known (not rare: no candidates
      // collected first) when an equivalent is in the vocabulary. Measured at 100 000 entries:
      // "open data" (offene Daten) 476–791 ms as rare, 26 ms as known; "defect reporting"
      // (Mängelmelder) ~1 s against 13–40 ms; "document management" (no Dokumentenmanagement
      // in that vocabulary) 110–150 ms as rare, 480–860 ms as known.
      const phrase = word.fold.includes(' ');
      return { ...word, ...(phrase ? { known: equivalentKnown, completes: equivalentKnown } : {}), synonyms: equivalents };
    })
    .filter((w) => w.tsquery !== null);
}

/**
 * Typed words that together are a member of the synonym table ("document management") become one
 * word: its equivalents ("Dokumentenmanagement") are what the entries say. A phrase is complete,
 * never a prefix.
 */
export function typedWords(q: string): QueryWord[] {
  const words = queryWords(q);
  const texts = words.map((w) => w.text);
  const joined: QueryWord[] = [];
  for (let i = 0; i < words.length; ) {
    const n = phraseLength(texts, i);
    joined.push(n === 1 ? words[i]! : { text: texts.slice(i, i + n).join(' '), prefix: false });
    i += n;
  }
  return joined;
}

/** Builds the text query: per word its tsquery (with synonyms) and compound pattern, optionally with corrections. */
export async function buildTextQuery(words: Words, q: string, mode: Mode, analysed?: AnalysedWord[]): Promise<Prepared | null> {
  const prepared = analysed ?? (await analyseWords(words, q));
  if (prepared.length === 0) return null;
  const extra = new Map<string, { term: string; tsquery: string | null }[]>();
  if (mode === 'fuzzy') {
    // Not a phrase of the synonym table ("defect reporting"): its words are not one misspelt word.
    const unknown = prepared.filter((w) => !w.known && w.fold.length >= 4 && !w.fold.includes(' ')).map((w) => w.fold);
    const [corrected, tails] = await Promise.all([
      words.correct({ folds: unknown, perWord: CORRECTIONS_PER_WORD, minSimilarity: MIN_SIMILARITY }),
      words.tails({ folds: unknown, minPart: COMPOUND_TAIL }),
    ]);
    // Only corrections nearly as close as the best one: "stadtbaume" → "stadtbaumen" (0.83), not
    // also "stadt" (0.45), which would rank every Stadt-name above the entry meant.
    const best = new Map<string, number>();
    for (const c of corrected) best.set(c.fold, Math.max(best.get(c.fold) ?? 0, c.similarity));
    for (const c of corrected) {
      if (c.similarity >= NEAR_BEST * best.get(c.fold)!) extra.set(c.fold, [...(extra.get(c.fold) ?? []), c]);
    }
    // A compound's ending (with its synonyms: "Terminbuchung" finds what "Buchung" finds) unless
    // the word is a typo of a vocabulary term: the ending of a misspelt word
    // ("Ratsinformationsystem" → "system") is much broader than its correction (similarity 0.86).
    const typos = new Set(corrected.filter((c) => c.similarity >= TYPO_SIMILARITY).map((c) => c.fold));
    const endings = tails.filter((c) => !typos.has(c.fold));
    const equivalents = endings.map((c) => synonymsOf(c.term).filter((words) => words.length === 1).map(([w]) => w!));
    const analysed = await words.prepare(equivalents.flat().map((text) => ({ text, prefix: false })));
    let next = 0;
    endings.forEach((c, i) => {
      const found = analysed.slice(next, (next += equivalents[i]!.length)).map((a) => ({ term: a.fold, tsquery: a.tsquery }));
      extra.set(c.fold, [...(extra.get(c.fold) ?? []), c, ...found]);
    });
  }
  const lexemes: string[] = [];
  const text: TextQuery = {
    words: prepared.map((w) => {
      const alternatives = [
        w.tsquery!,
        ...w.synonyms.map((s) => s.tsquery),
        ...(extra.get(w.fold) ?? []).flatMap((c) => (c.tsquery ? [c.tsquery] : [])),
      ];
      const folds = [w.fold, ...(extra.get(w.fold) ?? []).map((c) => c.term)];
      // A synonym of one word is a compound part like the word itself: "traffic" finds
      // "Verkehrszählungen", "trees" finds "Stadtbäumen".
      // Below the name and short-description tiers, so that entries naming the typed word rank first.
      const synonymParts = w.synonyms.flatMap((s) => (s.folds.length === 1 ? s.folds : []));
      lexemes.push(...folds, ...w.synonyms.flatMap((s) => s.folds), ...alternatives.flatMap(tsqueryLexemes));
      const patterns = compoundPatterns(folds);
      return {
        tsquery: orOfLexemes(alternatives),
        patterns,
        keywordPatterns: compoundPatterns(synonymParts).filter((p) => !patterns.includes(p)),
      };
    }),
    any: '',
  };
  text.any = orOfLexemes(text.words.map((w) => w.tsquery));
  const corrections = [...extra].map(([word, found]) => ({ word, terms: found.map((c) => c.term) }));
  return { words: prepared, text, lexemes, corrections };
}

/** LIKE patterns of the folded words long enough to be searched as parts of compounds. */
function compoundPatterns(folds: string[]): string[] {
  return [...new Set(folds)].filter((f) => f.length >= MIN_COMPOUND_PART && /^[a-z0-9]+$/.test(f)).map((f) => `%${f}%`);
}

/** Any of the words instead of all of them: one word whose tsquery is the OR of theirs, with all their compound parts. */
export function anyWord(prepared: Prepared): Prepared {
  const word = {
    tsquery: prepared.text.any,
    patterns: [...new Set(prepared.text.words.flatMap((w) => w.patterns))],
    keywordPatterns: [...new Set(prepared.text.words.flatMap((w) => w.keywordPatterns ?? []))],
  };
  return { ...prepared, text: { words: [word], any: prepared.text.any }, corrections: [] };
}
