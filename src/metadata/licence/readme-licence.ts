import { canonicalLicenseId } from '../spdx/spdx-ids.js';
import { matchNotices } from './match-notices.js';

/** Headings that introduce a licence section, in English and German. */
const LICENCE_HEADING = /^(?:licen[cs]e|licensing|lizenz|lizenzierung|copying|copyright(?: and licen[cs]e)?)\b/i;

/**
 * The text of a README's "License"/"Lizenz" section: Markdown `#` headings, setext/RST
 * underlined headings; up to the next heading. Null when there is no such section.
 */
export function readmeLicenceSection(readme: string): string | null {
  const lines = readme.replace(/\r\n?/g, '\n').split('\n');
  const headingAt = (index: number): string | null => {
    const line = lines[index]!;
    const atx = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (atx) return atx[1]!;
    const next = lines[index + 1];
    if (next !== undefined && line.trim() !== '' && /^\s*([=\-~^*#])\1{2,}\s*$/.test(next)) return line.trim();
    return null;
  };
  for (let i = 0; i < lines.length; i += 1) {
    const title = headingAt(i);
    if (title === null || !LICENCE_HEADING.test(title.replace(/[*_`]/g, '').trim())) continue;
    let end = i + 1;
    if (!/^\s{0,3}#/.test(lines[i]!)) end += 1; // skip the underline
    const start = end;
    while (end < lines.length && headingAt(end) === null) end += 1;
    return lines.slice(start, end).join('\n');
  }
  return null;
}

/** Names that stand for one licence in prose ("released under the MIT License"). */
const NAMED: [RegExp, string][] = [
  [/\bMIT\b/, 'MIT'],
  [/\bApache(?: License)?,? (?:Version |v)?2(?:\.0)?\b/i, 'Apache-2.0'],
  [/\bEUPL(?:[- ]v?|, Version )1\.2\b/i, 'EUPL-1.2'],
  [/\bISC License\b/i, 'ISC'],
  [/\bBSD 3-Clause\b/i, 'BSD-3-Clause'],
  [/\bBSD 2-Clause\b/i, 'BSD-2-Clause'],
  [/\bThe Unlicense\b/i, 'Unlicense'],
];

/**
 * Licences a README section names without quoting their text: SPDX ids as written
 * (`GPL-3.0-or-later`, `EUPL-1.2`) and a few common names. Ids without a digit must be written
 * in their SPDX case, so that ordinary words ("fair", "intel") are not taken for licences.
 */
export function referencedLicences(section: string): string[] {
  const found: string[] = [];
  for (const [pattern, id] of NAMED) if (pattern.test(section)) found.push(id);
  for (const match of section.matchAll(/[A-Za-z][A-Za-z0-9.+-]{1,60}[A-Za-z0-9+]/g)) {
    const word = match[0];
    const id = canonicalLicenseId(word);
    if (id && (/\d/.test(word) ? true : id === word) && id.length >= 3) found.push(id);
  }
  return [...new Set(found)];
}

/**
 * GNU "or (at your option) any later version" notices anywhere in a README (projects put them in
 * the introduction as often as under a licence heading), as `-or-later` ids. They only upgrade a
 * GNU text of the same licence and version found elsewhere: a README also mentions the licences
 * of its dependencies, so a notice outside the licence section is no claim of its own.
 */
export function readmeGnuLaterNotices(readme: string): string[] {
  const ids = matchNotices(readme)
    .filter((notice) => notice.kind === 'notice' && /^(?:A|L)?GPL-.*-or-later$/.test(notice.spdx))
    .map((notice) => notice.spdx);
  return [...new Set(ids)];
}
