import { createRequire } from 'node:module';
import type spdxFull from 'spdx-license-list/full.js';
// The package's main file is JSON: Node's ESM loader (the compiled build) needs the attribute.
import currentLicenseIds from 'spdx-license-ids' with { type: 'json' };
import { toWords, VARIABLE } from './normalise-text.js';
import { templateSpans } from './template-rules.js';
import { buildShingleIndex, type ShingleIndex, shinglesOf } from './shingle-index.js';

/**
 * The SPDX licence texts, normalised once and indexed by word trigrams. Built lazily on first
 * use and kept for the life of the process (~0.5 s and ~40 MB for the 700 texts).
 */
export type CorpusEntry = {
  /** Ids whose texts normalise to the same words; the first is the one we report. */
  ids: string[];
  /** Word ids; VARIABLE_ID marks replaceable text. */
  words: Int32Array;
  /** How many VARIABLE_ID words. */
  variables: number;
  /** Words that must match (all but VARIABLE and optional words). */
  fixedLength: number;
  /** 1 for words that may be left out (SPDX `<optional>`, see template-rules.ts). */
  optional: Uint8Array;
  /** How many optional words. */
  optionalCount: number;
  /** Word index of a VARIABLE → the words that may replace it; others take any words. */
  accepts: Map<number, RegExp>;
  /** Distinct trigrams of the terms, as slots of the corpus's ShingleIndex. */
  shingles: Int32Array;
  /** Words before this index are the title ("MIT License", "Apache License Version 2.0 …"), optional. */
  bodyFrom: number;
  /** Index after which the text may be left out (GNU/Apache "How to apply" appendices), or length. */
  optionalTailFrom: number;
};

export type LicenceCorpus = {
  entries: CorpusEntry[];
  vocabulary: Map<string, number>;
  /** Trigram → entries containing it. */
  index: ShingleIndex;
};

export const VARIABLE_ID = 0;

/**
 * Texts shorter than this many words are not matched as full texts: a dozen words (e.g. a
 * one-line public-domain dedication) match too much ordinary prose.
 */
const MIN_TEXT_WORDS = 20;

let corpus: LicenceCorpus | null = null;

const require = createRequire(import.meta.url);

/**
 * The full texts (5.6 MB of strings), read only while the corpus is built: an import kept them in
 * every API process from its start, and the module cache would keep them after the build.
 */
function licenceTexts(): typeof spdxFull {
  const path = require.resolve('spdx-license-list/full.js');
  try {
    return require(path) as typeof spdxFull;
  } finally {
    delete require.cache[path];
  }
}

export function licenceCorpus(): LicenceCorpus {
  corpus ??= buildCorpus();
  return corpus;
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
  for (const [id, entry] of Object.entries(licenceTexts())) {
    if (!current.has(id) || !entry.licenseText) continue;
    const { words, starts, optional = new Uint8Array(0), accepts = new Map() } = toWords(entry.licenseText, true, templateSpans(id, entry.licenseText));
    const fixedLength = words.filter((word, k) => word !== VARIABLE && optional[k] !== 1).length;
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
      variables: words.filter((word) => word === VARIABLE).length,
      fixedLength,
      optional,
      optionalCount: optional.reduce((sum, flag) => sum + flag, 0),
      accepts,
      // Only the terms make a licence a candidate; its appendix is often left out.
      shingles: new Int32Array(0),
      bodyFrom: bodyStart(entry.licenseText, starts),
      optionalTailFrom,
    });
  }

  const entries = [...byText.values()];
  // Optional words need not be there, so trigrams touching them do not make a candidate.
  const { index, slots } = buildShingleIndex(
    entries.map((entry) =>
      shinglesOf(entry.words.subarray(0, entry.optionalTailFrom), (i) => (entry.optional[i]! | entry.optional[i + 1]! | entry.optional[i + 2]!) === 0),
    ),
  );
  entries.forEach((entry, k) => {
    entry.shingles = slots[k]!;
  });
  return { entries, vocabulary, index };
}

/**
 * The title is the leading lines that are not yet prose: a line of 8 or more words, or one
 * ending like a sentence or an introduction (. : ;), starts the body. A short line naming a
 * licence and ending in a colon ("ISC License:") is still a title. Words are counted as the
 * matcher sees them: Markdown heading marks ("## Open Data Commons …") are none.
 */
function bodyStart(text: string, starts: number[]): number {
  let offset = 0;
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    const words = trimmed.match(/[\p{L}\p{N}]+(?:[.'’-][\p{L}\p{N}]+)*/gu)?.length ?? 0;
    const heading = /:$/.test(trimmed) && /\blicen[cs]e\b/i.test(trimmed) && words < 5;
    if (words >= 8 || (/[.:;]$/.test(trimmed) && !heading)) break;
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
