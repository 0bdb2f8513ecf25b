import { diff } from 'fast-myers-diff';
import { type CorpusEntry, licenceCorpus, VARIABLE_ID } from './licence-corpus.js';
import { scanText, shingleHash, shinglesOf, type TextShingles } from './shingle-index.js';
import type { Words } from './normalise-text.js';

export type TextMatch = {
  entry: CorpusEntry;
  /** Word range [from, to) of the scanned text covered by the licence. */
  from: number;
  to: number;
  /** Sørensen–Dice over words: 2·matched / (licence words + covered words). */
  dice: number;
  matched: number;
  /** Matched words plus the words standing for replaceable text: how much of the text the licence explains. */
  covered: number;
  /** True when the alignment reaches the last word of a licence without appendix. */
  complete: boolean;
};

/*
 * Tuning. Each number was set against the conformance corpora (bench/conformance) and the
 * SPDX matching guidelines; the comments say what each one lets through or stops.
 */
/**
 * A licence becomes a candidate when enough of its word trigrams occur in the text. A changed
 * word breaks at most 3 trigrams, so a text within the change allowance below keeps at least
 * 1 − 3·allowance/size of them; 0.05 more slack covers changes merged around replaceable text.
 */
const CONTAINMENT_SLACK = 0.05;
/** At most this many candidates are considered (the alignment is the costly part). */
const MAX_CANDIDATES = 8;
/** A run of fewer equal words inside a changed region is coincidence ("the", "of the"), not a match. */
const MIN_ANCHOR = 3;
/**
 * Words of the body missing at the start: none. Title words may be missing ("MIT License");
 * a licence whose first sentence lacks its opening ("… is hereby granted") is broken.
 */
const MAX_LEADING_MISSING = 0;
/** Margin of the alignment window before the first shared trigram: room for a title. */
const WINDOW_MARGIN = 15;
/** Words missing at the very end (a truncated last line "… DEALINGS IN"); more is a truncated licence. */
const MAX_TRAILING_MISSING = 3;
/** Replaceable text (`<copyright holders>` → "the university court of …") may be this long. */
const MAX_VARIABLE_WORDS = 40;
/**
 * An added clause is a different licence (MIT + "may only be used …"), a changed word is not:
 * inserted or deleted runs longer than this many words (or this share of long texts) reject.
 * 8 lets a qualifier through ("EXPRESSLY AND SPECIFICALLY DISCLAIMED"), not a sentence (MIT +
 * "Redistribution in binary form is not permitted …", 16 words) nor a repeated line (9); in
 * long texts 1 % (a 23-word note in a 3000-word CC licence), while a closer licence still wins.
 */
const MAX_INSERTED_RUN = 8;
const MAX_INSERTED_SHARE = 0.01;
const MAX_DELETED_RUN = 8;
const MAX_DELETED_SHARE = 0.01;
/** All changes together: 5 % of the licence (or 10 words for short texts). */
const MAX_CHANGED_SHARE = 0.05;
const MIN_CHANGED_ALLOWANCE = 10;
/** Typos (words known from no licence): one per 150 licence words, so 1 in an MIT text, 2 already reject it. */
const WORDS_PER_TYPO = 150;
const MIN_DICE = 0.9;
/** Inserted words that narrow a grant; one of them inside a licence text makes it a different licence. */
const RESTRICTIVE = new Set(['not', 'no', 'only', 'except', 'unless', 'prohibited', 'forbidden', 'cannot', 'never']);

export type FullTextResult = {
  matches: TextMatch[];
  /** Word ranges that look like a licence text but match none closely enough: modified licences, with the ids they resemble. */
  modified: { from: number; to: number; ids: string[] }[];
};

export function matchFullTexts(text: Words): FullTextResult {
  const corpus = licenceCorpus();
  const ids = Int32Array.from(text.words, (word, index) => corpus.vocabulary.get(word) ?? -(index + 1));
  const shingles = scanText(corpus.index, ids);
  const counts = new Int32Array(corpus.entries.length);
  const { start, entries } = corpus.index;
  for (const slot of shingles.slots) {
    for (let k = start[slot]!; k < start[slot + 1]!; k += 1) counts[entries[k]!]! += 1;
  }
  const candidates = [...counts.keys()]
    .filter((index) => {
      const entry = corpus.entries[index]!;
      const needed = 1 - (3 * changeAllowance(entry.fixedLength)) / entry.fixedLength - CONTAINMENT_SLACK;
      return counts[index]! >= needed * entry.shingles.length;
    })
    .sort((a, b) => counts[b]! / corpus.entries[b]!.shingles.length - counts[a]! / corpus.entries[a]!.shingles.length)
    .slice(0, MAX_CANDIDATES);

  // Align the most promising first; skip a candidate whose best possible score (its words in
  // common with the window, an upper bound of the aligned words) cannot beat a match already
  // found on the same stretch: LGPL-2.0 need not be aligned against a text that is LGPL-2.1.
  const planned = candidates
    .map((index) => plan(corpus.entries[index]!, { ids, text: text.words }, shingles))
    .filter((candidate): candidate is Planned => candidate !== null)
    .sort((a, b) => b.bound - a.bound);
  const kept: TextMatch[] = [];
  const rejected: Planned[] = [];
  for (const candidate of planned) {
    const dominated = kept.some(
      (match) => overlap(match, candidate) && strength(match) >= candidate.bound,
    );
    if (dominated) continue;
    const match = align(candidate);
    if (!match) {
      rejected.push(candidate);
      continue;
    }
    // A licence that is part of a longer one (MIT inside X11) loses to the longer match.
    const rivals = kept.filter((other) => overlap(other, match));
    if (rivals.some((other) => strength(other) >= strength(match))) continue;
    for (const rival of rivals) kept.splice(kept.indexOf(rival), 1);
    kept.push(match);
  }
  const modified = rejected
    .filter((candidate) => !kept.some((match) => overlap(match, candidate)))
    .map(({ from, to, entry }) => ({ from, to, ids: entry.ids }));
  return { matches: kept.sort((a, b) => a.from - b.from), modified };
}

/**
 * Which of two overlapping matches wins: the one explaining more of the text (a licence that
 * is part of a longer one, MIT inside X11, loses), scaled by closeness. Text standing for a
 * replaceable part counts as explained, so that a template with replaceable names (BSD-3-Clause)
 * does not lose to a variant that spells one name out (BSD-3-Clause-HP).
 */
function strength(match: TextMatch): number {
  return match.covered * match.dice;
}

/** Two stretches overlap when they share more than 30 % of the shorter one. */
function overlap(a: { from: number; to: number }, b: { from: number; to: number }): boolean {
  const shared = Math.min(a.to, b.to) - Math.max(a.from, b.from);
  return shared > 0.3 * Math.min(a.to - a.from, b.to - b.from);
}

type Planned = { entry: CorpusEntry; ids: Int32Array; text: string[]; from: number; to: number; bound: number };

function plan(entry: CorpusEntry, { ids, text }: { ids: Int32Array; text: string[] }, shingles: TextShingles): Planned | null {
  const range = window(entry, ids, shingles);
  if (!range) return null;
  const [from, to] = range;
  const common = wordsInCommon(entry, ids.subarray(from, to));
  if (common === null) return reject(entry, 'too many words missing');
  // Upper bound of strength(): words in common, plus what replaceable parts may cover.
  const bound = Math.min(to - from, common + entry.variables * MAX_VARIABLE_WORDS);
  return { entry, ids, text, from, to, bound };
}

function changeAllowance(size: number): number {
  return Math.max(MIN_CHANGED_ALLOWANCE, MAX_CHANGED_SHARE * size);
}

let scratch = new Int32Array(0);
/**
 * Cheap bounds before the costly alignment: licence words (before an optional appendix) that
 * the window lacks must all be deletions, so too many of them rule the licence out (null);
 * otherwise the number of words in common bounds the words an alignment can match.
 */
function wordsInCommon(entry: CorpusEntry, scanned: Int32Array): number | null {
  const size = licenceCorpus().vocabulary.size;
  if (scratch.length < size) scratch = new Int32Array(size);
  for (const id of scanned) if (id > 0) scratch[id]! += 1;
  let missing = 0;
  let common = 0;
  let variables = 0;
  // Required words first: optional ones must not use up the text's "the" and "of".
  for (const wanted of [0, 1]) {
    for (let i = 0; i < entry.words.length; i += 1) {
      const id = entry.words[i]!;
      if ((entry.optional[i] ?? 0) !== wanted) continue;
      if (id === VARIABLE_ID) variables += 1;
      else if (scratch[id]! > 0) {
        scratch[id]! -= 1;
        common += 1;
      } else if (i < entry.optionalTailFrom && wanted === 0) missing += 1;
    }
  }
  for (const id of scanned) if (id > 0) scratch[id] = 0;
  const allowed = changeAllowance(entry.fixedLength) + entry.bodyFrom + MAX_TRAILING_MISSING + variables * MAX_DELETED_RUN;
  return missing > allowed ? null : common;
}

/** The stretch of the text, about one licence long, holding most of the licence's trigrams. */
function window(entry: CorpusEntry, ids: Int32Array, shingles: TextShingles): [number, number] | null {
  // The licence's trigrams are fewer than a long text's: look each up in the text's map.
  const hits: number[] = [];
  for (const slot of entry.shingles) {
    const at = shingles.firstAt(slot);
    if (at >= 0) hits.push(at);
  }
  if (hits.length === 0) return null;
  hits.sort((a, b) => a - b);
  const width = entry.optionalTailFrom * 1.25 + 20;
  let best = 0;
  let bestCount = 0;
  for (let left = 0, right = 0; left < hits.length; left += 1) {
    while (right < hits.length && hits[right]! - hits[left]! <= width) right += 1;
    if (right - left > bestCount) {
      bestCount = right - left;
      best = left;
    }
  }
  // Room for title words before the first shared trigram and a partial last trigram.
  // Optional words have no trigrams in the index: room for them too (the notes before and
  // after a Creative Commons licence), or a copy carrying them would be cut off.
  const margin = WINDOW_MARGIN + entry.optionalCount;
  const from = Math.max(0, hits[best]! - margin);
  // Hits are first occurrences: a licence whose last sentences repeat earlier ones (MulanPSL's
  // "how to apply" notice repeats its disclaimer) has no hits there, so the window is at least
  // as long as the licence.
  const to = Math.min(ids.length, Math.max(hits[best + bestCount - 1]! + 3 + margin, from + entry.optionalTailFrom + margin));
  return [from, to];
}

type Block = { inserted: number[]; deleted: number[]; deletedAt: number[] };

export const debug: { on: boolean; log: (message: string) => void } = { on: false, log: () => {} };
const reject = (entry: CorpusEntry, why: string): null => {
  if (debug.on) debug.log(`${entry.ids[0]}: ${why}`);
  return null;
};

function align({ entry, ids, text, from, to }: Planned): TextMatch | null {
  // The terms are aligned on their own: aligned together with an appendix, the last sentence
  // of the LGPL-3.0 could as well pair with the near-identical one of the GPL-3.0 it carries.
  const licence = entry.words.subarray(0, entry.optionalTailFrom);
  const scanned = ids.subarray(from, to);
  const required = (from: number, to: number): number => countRequired(entry, from, to);

  // Equal runs between the changed hunks of a minimal edit script.
  const runs: { x: number; y: number; length: number }[] = [];
  let x = 0;
  let y = 0;
  for (const [sx, ex, , ey] of diff(licence, scanned)) {
    if (sx > x) runs.push({ x, y, length: sx - x });
    x = ex;
    y = ey;
  }
  if (licence.length > x) runs.push({ x, y, length: licence.length - x });

  const first = runs.findIndex((run) => run.length >= MIN_ANCHOR);
  if (first < 0) return null;
  let last = runs.length - 1;
  while (runs[last]!.length < MIN_ANCHOR) last -= 1;

  const titleMissing = required(0, Math.min(runs[first]!.x, entry.bodyFrom));
  const leadingMissing = required(entry.bodyFrom, runs[first]!.x);
  const endX = runs[last]!.x + runs[last]!.length;
  const trailingMissing = required(endX, licence.length);
  if (leadingMissing > MAX_LEADING_MISSING) {
    return reject(entry, `leading ${leadingMissing} ${describe({ deleted: [...licence.subarray(0, runs[first]!.x)], inserted: [...scanned.subarray(0, runs[first]!.y)], deletedAt: [] })}`);
  }
  if (trailingMissing > MAX_TRAILING_MISSING) return reject(entry, `trailing ${trailingMissing}`);

  // Changed blocks between anchors; short coincidental runs inside a change belong to it.
  const blocks: Block[] = [];
  let matched = runs[first]!.length;
  let matchedOptional = countOptional(entry, runs[first]!.x, runs[first]!.x + runs[first]!.length);
  let open: Block | null = null;
  for (let k = first + 1; k <= last; k += 1) {
    const previous = runs[k - 1]!;
    const run = runs[k]!;
    open ??= { inserted: [], deleted: [], deletedAt: [] };
    for (let i = previous.x + previous.length; i < run.x; i += 1) {
      open.deleted.push(licence[i]!);
      open.deletedAt.push(i);
    }
    for (let j = previous.y + previous.length; j < run.y; j += 1) open.inserted.push(scanned[j]!);
    if (run.length >= MIN_ANCHOR || k === last) {
      // Text between title words and the body is no change to the licence: title words also
      // pair with a notice naming the licence above its text ("… licensed under the SIL Open
      // Font License, Version 1.1. This license is copied below …").
      const inTitle = run.x <= entry.bodyFrom;
      if (open.inserted.length + open.deleted.length > 0 && !inTitle) blocks.push(open);
      open = null;
    } else {
      // A coincidental run counts as changed on both sides.
      for (let i = 0; i < run.length; i += 1) {
        open.deleted.push(licence[run.x + i]!);
        open.deletedAt.push(run.x + i);
        open.inserted.push(scanned[run.y + i]!);
      }
      continue;
    }
    matched += run.length;
    matchedOptional += countOptional(entry, run.x, run.x + run.length);
  }

  const size = entry.fixedLength;
  let inserted = 0;
  let changed = 0;
  let typos = 0;
  let replaced = 0;
  for (const block of blocks) {
    // Optional words left out are no change.
    const deleted = block.deletedAt.filter((i) => licence[i] !== VARIABLE_ID && entry.optional[i] !== 1).length;
    const variables = block.deletedAt.filter((i) => licence[i] === VARIABLE_ID);
    if (variables.length > 0) {
      // A variable with an accept pattern is bounded by it (template-rules.ts); others by the word count.
      const accept = variables.map((i) => entry.accepts.get(i)).find((pattern) => pattern !== undefined);
      if (!accept && block.inserted.length > MAX_VARIABLE_WORDS) return reject(entry, `variable ${block.inserted.length}`);
      if (deleted > Math.max(MAX_DELETED_RUN, MAX_DELETED_SHARE * size)) return reject(entry, `deleted ${describe(block)}`);
      if (accept && (deleted > 0 || !accept.test(block.inserted.map((id) => wordOf(id, text)).join(' ')))) {
        return reject(entry, `variable not accepted ${describe(block)}`);
      }
      replaced += block.inserted.length;
      continue;
    }
    if (block.inserted.length === 0 && deleted === 0) continue;
    if (block.inserted.length > Math.max(MAX_INSERTED_RUN, MAX_INSERTED_SHARE * size)) return reject(entry, `inserted ${describe(block)}`);
    if (deleted > Math.max(MAX_DELETED_RUN, MAX_DELETED_SHARE * size)) return reject(entry, `deleted ${describe(block)}`);
    if (block.inserted.some((id) => RESTRICTIVE_IDS().has(id))) return reject(entry, `restrictive ${describe(block)}`);
    typos += block.inserted.filter((id) => id < 0).length;
    inserted += block.inserted.length;
    changed += Math.max(block.inserted.length, deleted);
  }
  if (changed > changeAllowance(size)) return reject(entry, `changed ${changed}`);
  if (typos > Math.floor(size / WORDS_PER_TYPO)) return reject(entry, `typos ${typos}`);

  const expected = required(0, licence.length) - titleMissing + matchedOptional;
  const dice = (2 * matched) / (expected + matched + inserted);
  if (dice < MIN_DICE) return reject(entry, `dice ${dice}`);
  const end = from + runs[last]!.y + runs[last]!.length;
  // The reported stretch starts with the body: title words ("GNU General Public License") also
  // occur in a notice just above the licence, and that notice is not part of the licence text.
  const body = runs.findIndex((run, k) => k >= first && run.length >= MIN_ANCHOR && run.x + run.length > entry.bodyFrom);
  const start = runs[body >= 0 && body <= last ? body : first]!;
  return {
    entry,
    from: from + Math.max(start.y, start.y + entry.bodyFrom - start.x),
    to: appendixEnd(entry, ids, end),
    dice,
    matched,
    covered: matched + replaced,
    complete: endX === licence.length && entry.optionalTailFrom === entry.words.length,
  };
}

let corpusWords: string[] | null = null;
/** The word an id stands for: a corpus word, or (negative ids) the scanned text's own word. */
function wordOf(id: number, text: string[]): string {
  if (id < 0) return text[-id - 1] ?? '';
  corpusWords ??= [...licenceCorpus().vocabulary.keys()];
  return corpusWords[id] ?? '';
}

function describe(block: Block): string {
  if (!debug.on) return '';
  const words = [...licenceCorpus().vocabulary.keys()];
  const show = (ids: number[]): string => ids.map((id) => (id < 0 ? '?' : words[id])).join(' ');
  return `-[${show(block.deleted)}] +[${show(block.inserted)}]`;
}

const appendixShingles = new WeakMap<CorpusEntry, Set<number>>();

/**
 * Where the licence's appendix ends in the text, if the text carries it right after the terms:
 * the last of the appendix's trigrams within one appendix length after the terms. Changes in
 * the appendix (advice on applying the licence) do not matter, so no alignment is needed.
 */
function appendixEnd(entry: CorpusEntry, ids: Int32Array, end: number): number {
  const appendix = entry.words.subarray(entry.optionalTailFrom);
  if (appendix.length === 0) return end;
  let known = appendixShingles.get(entry);
  if (!known) {
    known = shinglesOf(appendix);
    appendixShingles.set(entry, known);
  }
  const limit = Math.min(ids.length, end + appendix.length + WINDOW_MARGIN);
  let last = end;
  for (let i = end; i + 2 < limit; i += 1) {
    const a = ids[i]!;
    const b = ids[i + 1]!;
    const c = ids[i + 2]!;
    if (a > 0 && b > 0 && c > 0 && known.has(shingleHash(a, b, c))) last = i + 3;
  }
  return last;
}

/** Words of the licence in [from, to) that must be there: not replaceable, not optional. */
function countRequired(entry: CorpusEntry, from: number, to: number): number {
  let count = 0;
  for (let i = from; i < to; i += 1) if (entry.words[i] !== VARIABLE_ID && entry.optional[i] !== 1) count += 1;
  return count;
}

function countOptional(entry: CorpusEntry, from: number, to: number): number {
  let count = 0;
  for (let i = from; i < to; i += 1) count += entry.optional[i]!;
  return count;
}

let restrictiveIds: Set<number> | null = null;
function RESTRICTIVE_IDS(): Set<number> {
  if (!restrictiveIds) {
    const { vocabulary } = licenceCorpus();
    restrictiveIds = new Set([...RESTRICTIVE].map((word) => vocabulary.get(word) ?? Number.NaN));
  }
  return restrictiveIds;
}
