import spdxFull from 'spdx-license-list/full';
import currentLicenseIds from 'spdx-license-ids';
import { toWords, VARIABLE } from './normalise-text.js';

/**
 * The SPDX licence texts, normalised once and indexed by word trigrams. Built lazily on first
 * use and kept for the life of the process (~0.5 s and ~40 MB for the 700 texts).
 */
export type CorpusEntry = {
  /** Ids whose texts normalise to the same words; the first is the one we report. */
  ids: string[];
  /** Word ids; VARIABLE_ID marks replaceable text. */
  words: Int32Array;
  /** Words that must match (all but VARIABLE). */
  fixedLength: number;
  /** Sorted distinct trigram hashes. */
  shingles: Uint32Array;
  /** Words before this index are the title ("MIT License", "Apache License Version 2.0 …"), optional. */
  bodyFrom: number;
  /** Index after which the text may be left out (GNU/Apache "How to apply" appendices), or length. */
  optionalTailFrom: number;
};

export type LicenceCorpus = {
  entries: CorpusEntry[];
  vocabulary: Map<string, number>;
  /** Trigram hash → indexes of entries containing it. */
  postings: Map<number, number[]>;
};

export const VARIABLE_ID = 0;

/**
 * Texts shorter than this many words are not matched as full texts: a dozen words (e.g. a
 * one-line public-domain dedication) match too much ordinary prose.
 */
const MIN_TEXT_WORDS = 20;

let corpus: LicenceCorpus | null = null;

export function licenceCorpus(): LicenceCorpus {
  corpus ??= buildCorpus();
  return corpus;
}

export function shingleHash(a: number, b: number, c: number): number {
  return (Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca77) ^ Math.imul(c + 0x165667b1, 0xc2b2ae3d)) >>> 0;
}

/** Distinct trigram hashes of a word-id sequence, skipping trigrams with unknown (negative) or variable words. */
export function shinglesOf(ids: ArrayLike<number>): Map<number, number> {
  const found = new Map<number, number>();
  for (let i = 0; i + 2 < ids.length; i += 1) {
    const a = ids[i]!;
    const b = ids[i + 1]!;
    const c = ids[i + 2]!;
    if (a <= 0 || b <= 0 || c <= 0) continue;
    const hash = shingleHash(a, b, c);
    if (!found.has(hash)) found.set(hash, i);
  }
  return found;
}

/**
 * When several ids share one text (GPL-2.0-only / GPL-2.0-or-later), report the one that claims
 * least: `-only` before `-or-later` (see detect-licence-text.ts for the GNU decision), then the shortest.
 */
function preference(id: string): number {
  return (id.endsWith('-or-later') ? 1000 : 0) + id.length;
}

function buildCorpus(): LicenceCorpus {
  // Deprecated ids (GPL-2.0, GPL-2.0+ …) repeat current texts; only current ids are reported.
  const current = new Set(currentLicenseIds);
  const vocabulary = new Map<string, number>([[VARIABLE, VARIABLE_ID]]);
  const idOf = (word: string): number => {
    let id = vocabulary.get(word);
    if (id === undefined) {
      id = vocabulary.size;
      vocabulary.set(word, id);
    }
    return id;
  };

  const byText = new Map<string, CorpusEntry>();
  for (const [id, entry] of Object.entries(spdxFull)) {
    if (!current.has(id) || !entry.licenseText) continue;
    const { words, starts } = toWords(entry.licenseText, true);
    const fixedLength = words.filter((word) => word !== VARIABLE).length;
    if (fixedLength < MIN_TEXT_WORDS) continue;
    const key = words.join(' ');
    const same = byText.get(key);
    if (same) {
      same.ids.push(id);
      same.ids.sort((a, b) => preference(a) - preference(b));
      continue;
    }
    const ids = Int32Array.from(words, idOf);
    const optionalTailFrom = optionalTail(words);
    byText.set(key, {
      ids: [id],
      words: ids,
      fixedLength,
      // Only the terms make a licence a candidate; its appendix is often left out.
      shingles: Uint32Array.from(shinglesOf(ids.subarray(0, optionalTailFrom)).keys()).sort(),
      bodyFrom: bodyStart(entry.licenseText, starts),
      optionalTailFrom,
    });
  }

  const entries = [...byText.values()];
  const postings = new Map<number, number[]>();
  entries.forEach((entry, index) => {
    for (const hash of entry.shingles) {
      const list = postings.get(hash);
      if (list) list.push(index);
      else postings.set(hash, [index]);
    }
  });
  return { entries, vocabulary, postings };
}

/**
 * The title is the leading lines that are not yet prose: a line of 8 or more words, or one
 * ending like a sentence or an introduction (. : ;), starts the body.
 */
function bodyStart(text: string, starts: number[]): number {
  let offset = 0;
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed.split(/\s+/).length >= 8 || /[.:;]$/.test(trimmed)) break;
    offset += line.length + 1;
  }
  const index = starts.findIndex((start) => start >= offset);
  return index < 0 ? 0 : index;
}

/**
 * Where advice on applying the licence starts ("END OF TERMS AND CONDITIONS / How to Apply These
 * Terms", the GFDL's "ADDENDUM", the Unlicense's "For more information"): often left out of
 * copies, so its absence does not count. The LGPL-3.0 carries the GPL-3.0 the same way.
 */
const TAIL_MARKERS = [
  'end of terms and conditions',
  'how to apply these terms',
  'appendix how to apply',
  'addendum how to use this license',
  'for more information please refer to',
  // The LGPL-3.0 text on the SPDX list carries the GPL-3.0 text after its own terms.
  'gnu general public license version 3 29 june 2007',
].map((marker) => marker.split(' '));

/** Markers are looked for after the first tenth of a text, so that a title never counts. */
const TAIL_SEARCH_FROM = 0.1;

function optionalTail(words: string[]): number {
  for (let i = Math.floor(words.length * TAIL_SEARCH_FROM); i < words.length; i += 1) {
    if (TAIL_MARKERS.some((marker) => marker.every((word, k) => words[i + k] === word))) return i;
  }
  return words.length;
}
