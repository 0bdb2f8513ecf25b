import { checkSpdxExpression } from '../spdx/spdx-expression.js';
import { canonicalLicenseId } from '../spdx/spdx-ids.js';

/** A licence named by a notice rather than by its full text; offsets into the decoded text. */
export type NoticeMatch = { spdx: string; confidence: number; start: number; end: number; kind: 'identifier' | 'notice' | 'url' };

/**
 * Confidence of notices. An SPDX-License-Identifier line is a statement in the standard form,
 * so it is as good as an exact text; a standard header ("Licensed under the Apache License,
 * Version 2.0") names a licence but a variation in its wording could qualify it: 0.9.
 */
const IDENTIFIER_CONFIDENCE = 1;
const NOTICE_CONFIDENCE = 0.9;
/** How far (in flattened characters) after "GNU … General Public License" the version phrase may come. */
const GNU_VERSION_REACH = 240;

type Flat = { text: string; at: Int32Array };

/** Lower-case words separated by single spaces ("2.0" and "+" kept), with offsets back into the input. */
function flatten(input: string): Flat {
  // Character codes into a typed array: appending to a string one character at a time was
  // most of the notice scan.
  const out = new Uint16Array(input.length);
  const at = new Int32Array(input.length + 1);
  let length = 0;
  let space = true;
  for (let i = 0; i < input.length; i += 1) {
    let code = input.charCodeAt(i);
    let keep: boolean;
    if (code < 0x80) {
      if (code >= 0x41 && code <= 0x5a) code += 0x20;
      keep =
        (code >= 0x61 && code <= 0x7a) ||
        isDigit(code) ||
        code === 0x2b ||
        (code === 0x2e && isDigit(input.charCodeAt(i - 1)) && isDigit(input.charCodeAt(i + 1)));
    } else {
      keep = LETTER_OR_NUMBER.test(input[i]!);
      const lower = input[i]!.toLowerCase();
      if (keep && lower.length === 1) code = lower.charCodeAt(0);
    }
    if (keep) {
      out[length] = code;
      at[length] = i;
      length += 1;
      space = false;
    } else if (!space) {
      out[length] = 0x20;
      at[length] = i;
      length += 1;
      space = true;
    }
  }
  at[length] = input.length;
  let text = '';
  const CHUNK = 8192;
  for (let from = 0; from < length; from += CHUNK) {
    text += String.fromCharCode(...out.subarray(from, Math.min(length, from + CHUNK)));
  }
  return { text, at: at.subarray(0, length + 1) };
}

const LETTER_OR_NUMBER = /[\p{L}\p{N}]/u;

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

// "Lesser GNU General Public License" is a word order some headers use.
const GNU_FAMILY = /\b(?:gnu (affero |lesser |library )?|(lesser |library )gnu )general public licen[cs]e\b/g;
const GNU_VERSION =
  /\bversion (\d(?:\.\d)?)\b(?: of the licen[cs]e| \w+ \d{4}| gplv\d)*( or later| or at your option any later version| or any later version| or at your option any later| of the licen[cs]e or at your option any later|\+)?/;
const GNU_OTHER_VERSION = /^ or at your option version (\d(?:\.\d)?)\b/;
const GNU_TITLE_DATE = /^version [\d.]+ (?:\d{1,2} )?(?:january|february|march|april|may|june|july|august|september|october|november|december) \d{4}$/;
const APACHE = /\b(?:apache licen[cs]e (?:version |v)?2(?:\.0)?|apache 2\.0 licen[cs]e|apache2 licen[cs]e|apache 2 licen[cs]e)\b/g;
const MPL = /\bmozilla public licen[cs]e (?:v |version |v2\.0|2\.0)(?:2\.0)?/g;
/**
 * Additions that change what a licence grants, reported as LicenseRef ids (not on the SPDX list):
 * the Commons Clause withholds the right to sell (the software is then not open source), and
 * Google's patent grant adds a patent licence. Matched by their operative sentence.
 */
const ADDITIONS: [RegExp, string][] = [
  [/\bthe license does not grant to you the right to sell the software\b/g, 'LicenseRef-Commons-Clause'],
  [/\bgoogle hereby grants to you a perpetual worldwide non exclusive no charge royalty free irrevocable except as stated in this section patent license\b/g, 'LicenseRef-Google-Patent-Grant'],
];
// The WTFPL's name is its whole grant ("f*ck" flattens to "f ck", "f***" to "f").
const WTFPL = /\bdo what the f(?:uck| ck)? you want to public licen[cs]e\b/g;
const EUPL = /\b(?:eupl|european union public licen[cs]e) (?:v |version )?(1\.[012])\b/g;
const IDENTIFIER = /SPDX-License-Identifier:[ \t]*([^\n\r]*?)[ \t]*(?:\*\/|-->|#}|\*\)|$)/gm;
const CC_URL = /creativecommons\.org\/(?:licenses\/(by(?:-nc)?(?:-sa|-nd)?)\/(\d\.\d)|publicdomain\/zero\/1\.0)/gi;

/** SPDX-License-Identifier lines, standard GNU/Apache/MPL/EUPL notices, the WTFPL's name, licence additions and Creative Commons licence URLs. */
export function matchNotices(text: string): NoticeMatch[] {
  const found: NoticeMatch[] = [];
  for (const match of text.matchAll(IDENTIFIER)) {
    const check = checkSpdxExpression(match[1] ?? '');
    if (check.valid && check.normalised) {
      found.push({ spdx: check.normalised, confidence: IDENTIFIER_CONFIDENCE, start: match.index, end: match.index + match[0].length, kind: 'identifier' });
    }
  }
  for (const match of text.matchAll(CC_URL)) {
    const id = match[1] ? canonicalLicenseId(`CC-${match[1]}-${match[2]}`) : 'CC0-1.0';
    if (id) found.push({ spdx: id, confidence: NOTICE_CONFIDENCE, start: match.index, end: match.index + match[0].length, kind: 'url' });
  }

  const flat = flatten(text);
  const add = (spdx: string, from: number, to: number): void => {
    found.push({ spdx, confidence: NOTICE_CONFIDENCE, start: flat.at[from]!, end: flat.at[to]!, kind: 'notice' });
  };
  for (const match of flat.text.matchAll(GNU_FAMILY)) {
    const after = match.index + match[0].length;
    const version = GNU_VERSION.exec(flat.text.slice(after, after + GNU_VERSION_REACH));
    if (!version) continue;
    // "GNU GENERAL PUBLIC LICENSE Version 2, June 1991" is the title of the text, not a notice.
    if (version.index === 1 && GNU_TITLE_DATE.test(version[0])) continue;
    const family = { 'affero ': 'AGPL', 'lesser ': 'LGPL', 'library ': 'LGPL' }[match[1] ?? match[2] ?? ''] ?? 'GPL';
    const number = (n: string): string => (n.includes('.') ? n : `${n}.0`);
    const id = canonicalLicenseId(`${family}-${number(version[1]!)}-${version[2] ? 'or-later' : 'only'}`);
    const end = after + version.index + version[0].length;
    // "either version 2 or (at your option) version 3 of the License": a choice of two versions.
    const choice = version[2] ? null : GNU_OTHER_VERSION.exec(flat.text.slice(end, end + GNU_VERSION_REACH));
    const other = choice ? canonicalLicenseId(`${family}-${number(choice[1]!)}-only`) : null;
    if (id && other && other !== id) add(`${id} OR ${other}`, match.index, end + choice![0].length);
    else if (id) add(id, match.index, end);
  }
  for (const match of flat.text.matchAll(APACHE)) add('Apache-2.0', match.index, match.index + match[0].length);
  for (const match of flat.text.matchAll(MPL)) add('MPL-2.0', match.index, match.index + match[0].length);
  for (const match of flat.text.matchAll(EUPL)) add(`EUPL-${match[1]}`, match.index, match.index + match[0].length);
  for (const match of flat.text.matchAll(WTFPL)) add('WTFPL', match.index, match.index + match[0].length);
  for (const [pattern, id] of ADDITIONS) for (const match of flat.text.matchAll(pattern)) add(id, match.index, match.index + match[0].length);
  return found.sort((a, b) => a.start - b.start);
}
