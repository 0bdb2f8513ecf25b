import type { TemplateSpan } from './template-rules.js';

/**
 * Licence text → comparable words, after the SPDX matching guidelines
 * (spdx.github.io/spdx-spec, annex "License matching guidelines and templates"):
 * case, whitespace, punctuation, quotes, dashes, bullets and numbering, copyright lines,
 * URLs, markup (Markdown, RST, HTML tags and entities) and CRLF do not count; a few spelling
 * variants are the same word. Every word keeps its character offsets in the input so that
 * matches can be reported as ranges of the original text.
 */
export type Words = {
  words: string[];
  starts: number[];
  ends: number[];
  /** Templates only: 1 for words that may be left out (SPDX `<optional>`). */
  optional?: Uint8Array;
  /** Templates only: word index of a VARIABLE → the words that may stand for it. */
  accepts?: Map<number, RegExp>;
};

/** Stands for replaceable text (`<year>`, `<copyright holders>`) in a licence text. */
export const VARIABLE = '\u0000var';

/** Equivalent words (SPDX guideline 8 "varietal word spelling", the ones seen in licence files). */
const EQUIVALENT: Record<string, string> = {
  licence: 'license',
  licences: 'licenses',
  licenced: 'licensed',
  licencing: 'licensing',
  licensor: 'licensor',
  authorised: 'authorized',
  organisation: 'organization',
  organisations: 'organizations',
  acknowledgment: 'acknowledgement',
  acknowledgments: 'acknowledgements',
  analogue: 'analog',
  behaviour: 'behavior',
  centre: 'center',
  favour: 'favor',
  offence: 'offense',
  recognised: 'recognized',
  utilisation: 'utilization',
  whilst: 'while',
  wilful: 'willful',
  noninfringement: 'noninfringement',
  nonfringement: 'noninfringement',
  sublicence: 'sublicense',
  copyrightable: 'copyrightable',
};

/** Lines that are copyright statements: "Copyright (c) 2017 …", "© 2017 …", "(C) 2017 …". */
const COPYRIGHT_LINE =
  /^[^\p{L}\p{N}\n]*(?:copyright\b\s*(?:\(c\)|©|\d|:|<|\[|\{|&copy;)|\(c\)\s*\d|©|&copy;)[^\n]*$/gimu;
const ALL_RIGHTS_RESERVED = /all rights reserved\.?/gi;
const URL = /(?:https?:\/\/|ftp:\/\/|www\.)[^\s<>()"'\]]+/gi;
const HTML_HIDDEN = /<(head|style|script)\b[\s\S]*?<\/\1\s*>/gi;
const HTML_TAG = /<\/?[a-zA-Z][^<>]{0,200}>|<!--[\s\S]*?-->/g;
const ENTITY = /&(?:[a-z]+|#\d+|#x[0-9a-f]+);/gi;
/** `<year>`, `<copyright holders>`, `[name of copyright owner]`: placeholders in SPDX texts. */
const PLACEHOLDER = /<[^<>\n]{1,60}>|\[(?:yyyy|year|name[^\]\n]{0,40}|fullname|owner[^\]\n]{0,30})\]/gi;
/**
 * Replaceable text that the SPDX templates mark with <<var>> but the plain texts of
 * spdx-license-list spell out: the owner named in BSD-style clauses and disclaimers
 * ("Neither the name of the copyright holder nor …", "PROVIDED BY THE COPYRIGHT HOLDERS AND
 * CONTRIBUTORS "AS IS"", "IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE").
 */
const TEMPLATE_VARIABLES = [
  /(?<=neither the names? of\s)[^.;]{1,80}?(?=\snor\s)/gi,
  /(?<=provided by\s)[^.;"“”]{1,80}?(?=\s*["“”'`]*\s*as[\s-]is)/gi,
  /(?<=in no event shall\s)(?!the\s+authors\s+or\s+copyright\s+holders)[^.;]{1,80}?(?=\sbe\s+liable)/gi,
];
/** List markers at a line start: "1.", "(a)", "iv)", "-", "*", "•", "2-". */
const LINE_MARKER = /^[ \t>#*|/;-]*(?:(?:\(?(?:\d{1,3}|[a-z]|[ivx]{1,5})[.):-]|[-*+•·▪◦])[ \t]+)+/gim;
/** Markers inside running text: "(a)", "(iv)", "(1)". */
const INLINE_MARKER = /\((?:\d{1,2}|[a-z]|[ivx]{1,5})\)/gi;
/** Hyphens and apostrophes inside a word, which the comparison leaves out ("non-exclusive", "party's"). */
const JOINERS = /[-'’]/;
const WORD = /[\p{L}\p{N}]+(?:-\s*\n?\s*[\p{L}\p{N}]+|['’][\p{L}]+)*|&/gu;

/**
 * `template` is true for SPDX licence texts, where placeholders become VARIABLE; in a scanned
 * file they are simply skipped (an unfilled `<year>` matches whatever the template allows).
 */
export function toWords(text: string, template = false, spans: TemplateSpan[] = []): Words {
  const skip = new Uint8Array(text.length + 1);
  const mark = (pattern: RegExp, value = 1): void => {
    for (const match of text.matchAll(pattern)) {
      skip.fill(value, match.index, match.index + match[0].length);
    }
  };
  mark(URL);
  mark(COPYRIGHT_LINE);
  mark(ALL_RIGHTS_RESERVED);
  mark(ENTITY);
  mark(LINE_MARKER);
  mark(INLINE_MARKER);
  if (template) {
    mark(PLACEHOLDER, 2);
    for (const pattern of TEMPLATE_VARIABLES) mark(pattern, 2);
    for (const span of spans) {
      if (span.kind === 'variable') skip.fill(2, span.from, span.to);
      else for (let i = span.from; i < span.to; i += 1) if (skip[i] === 0) skip[i] = 3;
    }
  }
  else {
    mark(PLACEHOLDER);
    if (/<(?:html|body|p|div|br|h\d|a\s)[\s>/]/i.test(text)) {
      mark(HTML_HIDDEN);
      mark(HTML_TAG);
    }
  }

  const words: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  const optional: number[] = [];
  let lastVariable = -2;
  for (const match of text.matchAll(WORD)) {
    const at = match.index;
    const flag = skip[at];
    if (flag === 2) {
      if (lastVariable !== words.length - 1 || words.length === 0) {
        words.push(VARIABLE);
        starts.push(at);
        ends.push(at + match[0].length);
      }
      lastVariable = words.length - 1;
      continue;
    }
    if (flag === 1) continue;
    if (flag === 3) optional.push(words.length);
    const word = match[0];
    let raw = word === '&' ? 'and' : word.toLowerCase();
    if (word.length > 1 && JOINERS.test(word)) raw = raw.replace(/-\s*/g, '').replace(/['’]/g, '');
    words.push(Object.hasOwn(EQUIVALENT, raw) ? EQUIVALENT[raw]! : raw);
    starts.push(at);
    ends.push(at + match[0].length);
  }
  if (!template) return { words, starts, ends };
  const flags = new Uint8Array(words.length);
  for (const index of optional) flags[index] = 1;
  const accepts = new Map<number, RegExp>();
  for (const span of spans) {
    if (!span.accept) continue;
    const index = starts.findIndex((start, k) => words[k] === VARIABLE && start >= span.from && start < span.to);
    if (index >= 0) accepts.set(index, span.accept);
  }
  return { words, starts, ends, optional: flags, accepts };
}

/**
 * Words broken or glued by careless reformatting, mended against a vocabulary (the licence
 * texts' words): "docume ntation" and "C ONSEQUENTIAL" (mid-word line breaks) are joined,
 * "NOTLIMITED" and "FORA" (line breaks dropped without a space) are split. Only where a part is
 * a word no licence uses, so that two real words are never merged.
 */
export function mendBrokenWords(text: Words, known: (word: string) => boolean): Words {
  const { words, starts, ends } = text;
  if (words.every(known)) return text;
  const out: Words = { words: [], starts: [], ends: [] };
  const push = (word: string, start: number, end: number): void => {
    out.words.push(word);
    out.starts.push(start);
    out.ends.push(end);
  };
  for (let i = 0; i < words.length; i += 1) {
    const word = words[i]!;
    const next = words[i + 1];
    if (next !== undefined && !(known(word) && known(next)) && known(word + next)) {
      push(word + next, starts[i]!, ends[i + 1]!);
      i += 1;
      continue;
    }
    if (!known(word)) {
      const cut = splitPoint(word, known);
      if (cut > 0) {
        push(word.slice(0, cut), starts[i]!, starts[i]! + cut);
        push(word.slice(cut), starts[i]! + cut, ends[i]!);
        continue;
      }
    }
    push(word, starts[i]!, ends[i]!);
  }
  return out;
}

/**
 * Short words a glued pair may contain ("FORA", "USEOF"). Other one- and two-letter pieces are
 * not split off: "SaALL" is a typo of "SHALL", not "sa" + "all", and must still count as one.
 */
const SHORT_WORDS = new Set(['a', 'an', 'as', 'at', 'be', 'by', 'in', 'is', 'it', 'no', 'of', 'on', 'or', 'to']);

/** Where an unknown word splits into two known words ("notlimited" → 3), or 0. */
function splitPoint(word: string, known: (word: string) => boolean): number {
  const piece = (part: string): boolean => (part.length > 2 ? known(part) : SHORT_WORDS.has(part));
  for (let cut = 1; cut < word.length; cut += 1) {
    if (piece(word.slice(0, cut)) && piece(word.slice(cut))) return cut;
  }
  return 0;
}
