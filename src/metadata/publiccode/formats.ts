import { COUNTRY_CODES } from './vocabulary-countries.js';

/** Go's time.Parse("2006-01-02", s): exactly YYYY-MM-DD and a day that exists in that month. */
export function isDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (m === null) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  return day <= days;
}

// The shape of go-playground's `email` (an HTML5-style address, with the Unicode ranges it allows).
const U = '\\u00A0-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFEF';
const ATOM = `[a-zA-Z0-9!#$%&'*+\\-/=?^_\`{|}~${U}]+`;
const LOCAL = `(?:${ATOM}(?:\\.${ATOM})*|"(?:[\\x20\\x21\\x23-\\x5b\\x5d-\\x7e${U}]|\\\\[\\x01-\\x7f])*")`;
const LABEL = `(?:[a-zA-Z0-9${U}]|[a-zA-Z0-9${U}][a-zA-Z0-9\\-.~${U}]*[a-zA-Z0-9${U}])`;
const TLD = `(?:[a-zA-Z${U}]|[a-zA-Z${U}][a-zA-Z0-9\\-.~${U}]*[a-zA-Z${U}])`;
const EMAIL = new RegExp(`^${LOCAL}@(?:${LABEL}\\.)+${TLD}\\.?$`);

export function isEmail(value: string): boolean {
  return EMAIL.test(value);
}

/** media-typer's grammar, as the reference uses it for inputTypes/outputTypes. */
const MIME = /^ *([A-Za-z0-9][A-Za-z0-9!#$&^_-]{0,126})\/([A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}) *$/;

export function isMimeType(value: string): boolean {
  return MIME.test(value);
}

const segmenter = new Intl.Segmenter('und', { granularity: 'grapheme' });

/** User-perceived characters (the reference counts grapheme clusters, so "é" as e + accent is one). */
export function graphemeLength(value: string): number {
  // Printable Latin (ASCII up to the spacing modifiers, U+02FF; no combining marks, no CR) is one
  // grapheme per code unit, which covers most German, Italian and French texts without the segmenter.
  if (/^[\x20-\x7e\n\t\u00a0-\u02ff]*$/.test(value)) return value.length;
  let count = 0;
  for (const _ of segmenter.segment(value)) count += 1;
  return count;
}

/** ISO 3166-1 alpha-2, all upper or all lower case (lower case is deprecated but accepted). */
export function isCountryCode(value: string): boolean {
  if (value !== value.toLowerCase() && value !== value.toUpperCase()) return false;
  return COUNTRY_CODES.has(value.toUpperCase());
}

/**
 * Italian iPA codes. The reference checks membership in the full IndicePA register (a 230 KB
 * list we do not ship for a German registry); registered codes are 1–8 letters, digits or
 * underscores, so that shape is checked instead and unregistered but well-formed codes pass.
 */
export function isItalianIpaCode(value: string): boolean {
  return /^[A-Za-z0-9_]{1,8}$/.test(value);
}
