import { joinWithAnd } from '../spdx/spdx-expression.js';
import { decodeText as decodeLicenceText } from '../../lib/decode-text.js';
import { matchFullTexts } from './match-full-text.js';
import { matchNotices, type NoticeMatch } from './match-notices.js';
import { licenceCorpus } from './licence-corpus.js';
import { mendBrokenWords, toWords } from './normalise-text.js';

export type LicenceMatch = {
  spdx: string;
  /** 0..1: Dice similarity for full texts, fixed values for notices (see match-notices.ts). */
  confidence: number;
  /** Character offsets into the decoded text. */
  start?: number;
  end?: number;
  kind: 'text' | 'identifier' | 'notice' | 'url';
};

export type TextDetection = {
  /** One id, an AND of the licences found in the text, or null when none was found. */
  spdx: string | null;
  matches: LicenceMatch[];
  /** True when part of the text looks like a licence but matches none closely (a modified licence). */
  modified: boolean;
  /** True when the text holds nothing but copyright lines (licensee's "no-license"). */
  copyrightOnly: boolean;
  /** True when the text has no words at all. */
  empty: boolean;
};

/**
 * GNU full texts. The GPL, LGPL, AGPL and GFDL texts are the same for "version N only" and
 * "version N or any later version": only the notice that applies them says which. For a bare
 * full text the registry reports `-only` (GPL-2.0-only …): it is the smallest claim the text
 * supports, it is what SPDX defines the deprecated bare ids (GPL-2.0) to mean and what
 * spdx-correct upgrades them to, and it never grants more than the authors wrote. A notice in
 * the same file or project ("or (at your option) any later version") upgrades it to `-or-later`.
 */
export const GNU_FULL_TEXT_POLICY = 'only' as const;

/** Find the licences in one file's text (licence file, README section, source header). */
export function detectLicenceInText(input: string | Uint8Array): TextDetection {
  const text = decodeLicenceText(input);
  const { vocabulary } = licenceCorpus();
  const words = mendBrokenWords(toWords(text), (word) => vocabulary.has(word));
  // A licence whose last sentence goes on ("… without prior written authorization from X")
  // has been changed where it matters most: the text must end where the licence ends.
  const fullTexts = matchFullTexts(words);
  const textMatches = fullTexts.matches.filter(
    (match) => !match.complete || match.to >= words.words.length || /[.!?;]|\n\s*\n/.test(text.slice(words.ends[match.to - 1], words.starts[match.to])),
  );
  const matches: LicenceMatch[] = textMatches.map((match) => ({
    spdx: match.entry.ids[0]!,
    confidence: round(match.dice),
    start: words.starts[match.from],
    end: words.ends[match.to - 1],
    kind: 'text' as const,
  }));

  // Notices inside a full text are part of it (the GPL's own "How to Apply" section), also
  // inside a modified text of the same licence: the appendix of an altered Apache text does not
  // make it Apache-2.0. A standard header that merely resembles a short licence of another name
  // (a GNU notice and FSFULLR share most words) is still that header.
  const modified = fullTexts.modified.map(({ from, to, ids }) => ({ start: words.starts[from], end: words.ends[to - 1], ids }));
  const covers = (range: { start?: number; end?: number }, at: number): boolean =>
    range.start !== undefined && range.end !== undefined && at >= range.start && at < range.end;
  const inside = (notice: NoticeMatch): boolean =>
    matches.some((match) => covers(match, notice.start)) ||
    modified.some((range) => covers(range, notice.start) && range.ids.some((id) => sameLicence(id, notice.spdx)));
  for (const notice of matchNotices(text)) {
    if (notice.kind !== 'identifier' && inside(notice)) continue;
    matches.push({ ...notice });
  }
  matches.sort((a, b) => (a.start ?? 0) - (b.start ?? 0));
  upgradeGnuTexts(matches);

  const ids = [...new Set(matches.map((match) => match.spdx))];
  return {
    spdx: ids.length === 0 ? null : joinWithAnd(ids),
    modified: modified.length > 0,
    matches,
    copyrightOnly: words.words.length === 0 && /\S/.test(text),
    empty: !/\S/.test(text),
  };
}

/** A GNU full text next to a notice for the same licence and version takes the notice's `-or-later`. */
export function upgradeGnuTexts(matches: { spdx: string; kind?: string }[]): void {
  const later = new Set(matches.map((match) => match.spdx).filter((id) => id.endsWith('-or-later')));
  for (const match of matches) {
    if (!match.spdx.endsWith('-only') || (match.kind !== undefined && match.kind !== 'text')) continue;
    const upgraded = match.spdx.replace(/-only$/, '-or-later');
    if (later.has(upgraded)) match.spdx = upgraded;
  }
}

/** GPL-2.0-only and GPL-2.0-or-later are the same licence text. */
function sameLicence(a: string, b: string): boolean {
  const base = (id: string): string => id.replace(/-(?:only|or-later)$|\+$/, '');
  return base(a) === base(b);
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
