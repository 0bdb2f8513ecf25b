import { sql } from 'drizzle-orm';
import type { Executor } from '../../client';
import { param as array, rows } from './statement';

/** known: the folded word is in the vocabulary; completes: some vocabulary term starts with it. */
export type PreparedWord = { position: number; tsquery: string | null; fold: string; known: boolean; completes: boolean };

/** Analyses typed words in the database (stemming, stop words, folding) in one round trip. */
export async function prepareWords(db: Executor, words: { text: string; prefix: boolean }[]): Promise<PreparedWord[]> {
  if (words.length === 0) return [];
  const texts = words.map((w) => w.text);
  const prefixes = words.map((w) => w.prefix);
  return rows<PreparedWord>(
    db,
    sql`SELECT w.position::int AS position, public.th_word_query(w.text, p.prefix)::text AS tsquery, public.th_fold(w.text) AS fold,
        EXISTS (SELECT 1 FROM search_term t WHERE t.term = public.th_fold(w.text) AND t.doc_count > 0) AS known,
        -- A range on the C-collated primary key: terms from the folded word up to the word + U+FFFF.
        EXISTS (SELECT 1 FROM search_term t WHERE t.term >= public.th_fold(w.text)
          AND t.term < public.th_fold(w.text) || chr(65535) AND t.doc_count > 0) AS completes
      FROM unnest(${array(texts, 'text')}) WITH ORDINALITY AS w(text, position)
      JOIN unnest(${array(prefixes, 'boolean')}) WITH ORDINALITY AS p(prefix, position) ON p.position = w.position
      ORDER BY w.position`,
  );
}

/** Typo correction: the nearest vocabulary terms by trigram similarity (GiST KNN on search_term). */
export async function correctWords(
  db: Executor,
  input: { folds: string[]; perWord: number; minSimilarity: number },
): Promise<{ fold: string; term: string; tsquery: string | null; similarity: number }[]> {
  if (input.folds.length === 0) return [];
  return rows(
    db,
    sql`SELECT w.f AS fold, c.term, public.th_word_query(c.term, false)::text AS tsquery, similarity(c.term, w.f)::float8 AS similarity
      FROM unnest(${array(input.folds, 'text')}) AS w(f)
      CROSS JOIN LATERAL (
        SELECT t.term FROM search_term t WHERE t.doc_count > 0 ORDER BY t.term <-> w.f LIMIT ${input.perWord}
      ) c
      WHERE similarity(c.term, w.f) >= ${input.minSimilarity} AND c.term <> w.f`,
  );
}


/**
 * Compound splitting for a word missing from the vocabulary: its longest ending (at least
 * `minPart` letters, after a head of at least `minPart - 1`) that is a vocabulary term, or begins
 * one when longer than `minPart`: "terminbuchung" → "buchung" (a term, or the start of
 * "buchungsplattform"). German compounds put the thing last (a Terminbuchung is a Buchung), and
 * the entries' compounds go on where the query's ends, so the ending alone finds what the compound
 * names. Probes the primary key only (equality, then a range for "begins").
 */
export async function compoundTails(
  db: Executor,
  input: { folds: string[]; minPart: number },
): Promise<{ fold: string; term: string; tsquery: string | null }[]> {
  const words = input.folds.filter((f) => f.length >= input.minPart * 2 - 1);
  if (words.length === 0) return [];
  return rows(
    db,
    sql`SELECT w.f AS fold, c.term, public.th_word_query(c.term, false)::text AS tsquery
      FROM unnest(${array(words, 'text')}) AS w(f)
      CROSS JOIN LATERAL (
        SELECT e.term FROM (SELECT right(w.f, n) AS term FROM generate_series(${input.minPart}::int, length(w.f) - ${input.minPart - 1}::int) AS n) e
        WHERE EXISTS (SELECT 1 FROM search_term t WHERE t.term = e.term AND t.doc_count > 0)
          OR (length(e.term) > ${input.minPart}::int AND EXISTS (SELECT 1 FROM search_term t
            WHERE t.term >= e.term AND t.term < e.term || chr(65535) AND t.doc_count > 0))
        ORDER BY length(e.term) DESC LIMIT 1
      ) c`,
  );
}
