import { de, type Catalogue, type MessageKey, type Plural } from './de';
import { en } from './en';

export const LOCALES = ['de', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

const CATALOGUES: Record<Locale, Catalogue> = { de, en };
const TAGS: Record<Locale, string> = { de: 'de-DE', en: 'en-GB' };

type Vars = Record<string, string | number>;

export type Translator = {
  locale: Locale;
  t(key: MessageKey, vars?: Vars): string;
  /** A plural message: {n} is the formatted count. */
  n(key: MessageKey, count: number, vars?: Vars): string;
  number(value: number): string;
  date(iso: string | Date | null): string;
  list(items: string[]): string;
};

function fill(text: string, vars: Vars, format: (n: number) => string) {
  // Most messages have no variables: no pattern to run (a page has a few hundred of them).
  if (!text.includes('{')) return text;
  return text.replace(/\{(\w+)\}/g, (match, name: string) => {
    const value = vars[name];
    if (value === undefined) return match;
    return typeof value === 'number' ? format(value) : value;
  });
}

const cache = new Map<Locale, Translator>();

/** Messages, numbers, dates, lists and plurals of one language (Intl, built once per language). */
export function translator(locale: Locale): Translator {
  const cached = cache.get(locale);
  if (cached) return cached;
  const tag = TAGS[locale];
  const numbers = new Intl.NumberFormat(tag);
  const dates = new Intl.DateTimeFormat(tag, { dateStyle: 'long', timeZone: 'Europe/Berlin' });
  const plurals = new Intl.PluralRules(tag);
  const lists = new Intl.ListFormat(tag, { type: 'conjunction' });
  const catalogue = CATALOGUES[locale];
  const format = (n: number) => numbers.format(n);
  const made: Translator = {
    locale,
    t: (key, vars = {}) => {
      const message = catalogue[key];
      return fill(typeof message === 'string' ? message : message.other, vars, format);
    },
    n: (key, count, vars = {}) => {
      const message = catalogue[key];
      const text = typeof message === 'string' ? message : (message as Plural)[plurals.select(count) === 'one' ? 'one' : 'other'];
      return fill(text, { ...vars, n: count }, format);
    },
    number: format,
    date: (value) => (value === null ? '' : dates.format(typeof value === 'string' ? new Date(value) : value)),
    list: (items) => lists.format(items),
  };
  cache.set(locale, made);
  return made;
}

/** The first of our languages the Accept-Language header names, by its q weights. */
export function fromAcceptLanguage(header: string | undefined): Locale | null {
  if (!header) return null;
  const ranked = header
    .split(',')
    .map((part) => {
      const [range, ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { lang: (range ?? '').trim().toLowerCase().split('-')[0]!, q: q === undefined ? 1 : Number(q) };
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { lang } of ranked) if ((LOCALES as readonly string[]).includes(lang)) return lang as Locale;
  return null;
}

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

export type { MessageKey };
