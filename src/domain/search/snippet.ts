import { fold } from './query-words';

/** About two lines of a result list. */
const SNIPPET_LENGTH = 180;
/** Context shown before the first match, so the match is not the first word. */
const LEAD = 50;

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** README markdown as plain text: link targets, markup characters and code fences removed. */
export function plainText(markdown: string): string {
  return markdown
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, ' ')
    .replace(/[#*_`>|~]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Whether a word matches one of the terms (as highlighted); null when no term is usable. */
function wordMatcher(terms: string[]): ((word: string) => boolean) | null {
  const prefixes = [...new Set(terms.map(fold).filter((t) => t.length >= 2))];
  if (prefixes.length === 0) return null;
  return (word: string) => {
    const f = fold(word);
    return prefixes.some((t) => f.startsWith(t) || (t.length >= 5 && f.includes(t)));
  };
}

/** Whether some word of the text matches one of the terms (the rule highlight marks by). */
export function mentions(text: string, terms: string[]): boolean {
  const matches = wordMatcher(terms);
  return matches !== null && [...text.matchAll(/[\p{L}\p{N}]+/gu)].some((m) => matches(m[0]));
}

/**
 * A short excerpt around the first word matching one of the terms (folded stems and prefixes;
 * terms of 5+ characters also match inside compounds), HTML-escaped with matches in <mark>.
 * Null when no word matches.
 */
export function highlight(text: string, terms: string[]): string | null {
  const matches = wordMatcher(terms);
  if (!matches) return null;
  const words = [...text.matchAll(/[\p{L}\p{N}]+/gu)];
  const first = words.find((m) => matches(m[0]));
  if (!first) return null;
  let start = Math.max(0, first.index - LEAD);
  if (start > 0) {
    const boundary = text.indexOf(' ', start);
    start = boundary === -1 || boundary > first.index ? first.index : boundary + 1;
  }
  let end = Math.min(text.length, start + SNIPPET_LENGTH);
  if (end < text.length) {
    const boundary = text.lastIndexOf(' ', end);
    if (boundary > first.index) end = boundary;
  }
  let out = start > 0 ? '…' : '';
  let cursor = start;
  for (const m of words) {
    if (m.index < start || m.index + m[0].length > end) continue;
    if (!matches(m[0])) continue;
    out += escapeHtml(text.slice(cursor, m.index)) + '<mark>' + escapeHtml(m[0]) + '</mark>';
    cursor = m.index + m[0].length;
  }
  out += escapeHtml(text.slice(cursor, end));
  return end < text.length ? `${out}…` : out;
}

/** The start of a text, for hits whose match is not in any shown text (name, categories …). */
export function excerpt(text: string): string {
  if (text.length <= SNIPPET_LENGTH) return escapeHtml(text);
  const boundary = text.lastIndexOf(' ', SNIPPET_LENGTH);
  return `${escapeHtml(text.slice(0, boundary > 0 ? boundary : SNIPPET_LENGTH))}…`;
}
