import { createRequire } from 'node:module';

/**
 * BCP 47 as the reference checks it (its `bcp47_strict_language_tag`): the RFC 5646 shape, then
 * every subtag must be registered (language, script, region, variant with its prefix, extlang
 * with its prefix). The reference looks subtags up in golang.org/x/text; we use the IANA
 * registry itself (language-subtag-registry), which is what x/text's tables are built from.
 * POSIX forms such as `en_GB` and unassigned codes such as `xxx` are rejected.
 */
const TAG = new RegExp(
  [
    '^(EN-GB-OED|I-AMI|I-BNN|I-DEFAULT|I-ENOCHIAN|I-HAK|I-KLINGON|I-LUX|I-MINGO|I-NAVAJO|I-PWN|I-TAO|I-TAY|I-TSU|',
    'SGN-BE-FR|SGN-BE-NL|SGN-CH-DE|ART-LOJBAN|CEL-GAULISH|NO-BOK|NO-NYN|ZH-GUOYU|ZH-HAKKA|ZH-MIN|ZH-MIN-NAN|ZH-XIANG|',
    'X-[A-Z0-9]{1,8})$',
    '|^((?:[A-Z]{2,3}(?:-[A-Z]{3}){0,3})|[A-Z]{4}|[A-Z]{5,8})',
    '(?:-([A-Z]{4}))?',
    '(?:-([A-Z]{2}|[0-9]{3}))?',
    '(?:-((?:[A-Z0-9]{5,8}|[0-9][A-Z0-9]{3})(?:-(?:[A-Z0-9]{5,8}|[0-9][A-Z0-9]{3}))*))?',
    '(?:-((?:[A-WYZ0-9](?:-[A-Z0-9]{2,8})+)(?:-(?:[A-WYZ0-9](?:-[A-Z0-9]{2,8})+))*))?',
    '(?:-X(?:-[A-Z0-9]{1,8})+)?$',
  ].join(''),
);

type Registry = { language: Set<string>; script: Set<string>; region: Set<string>; variant: Map<string, number>; extlang: Map<string, number> };
type SubtagRecord = { Prefix?: string[] };

const require = createRequire(import.meta.url);
let registry: Registry | null = null;
let records: SubtagRecord[] | null = null;
const cache = new Map<string, boolean>();

function load(): Registry {
  if (registry !== null) return registry;
  const read = (name: string) => require(`language-subtag-registry/data/json/${name}.json`) as { [subtag: string]: number };
  registry = {
    language: new Set(Object.keys(read('language'))),
    script: new Set(Object.keys(read('script'))),
    region: new Set(Object.keys(read('region'))),
    variant: new Map(Object.entries(read('variant'))),
    extlang: new Map(Object.entries(read('extlang'))),
  };
  return registry;
}

/** Prefixes of a variant or extlang; the full registry (1 MB) is read only when a tag has one. */
function prefixesOf(index: number): string[] {
  records ??= require('language-subtag-registry/data/json/registry.json') as SubtagRecord[];
  return records[index]?.Prefix ?? [];
}

function inRange(set: Set<string>, subtag: string, ranges: [string, string][]): boolean {
  if (set.has(subtag)) return true;
  return ranges.some(([from, to]) => subtag.length === from.length && subtag >= from && subtag <= to);
}

function prefixOk(tag: string, prefixes: string[]): boolean {
  // The reference's test: the whole tag plus "-" starts with one of the registered prefixes.
  return prefixes.length === 0 || prefixes.some((p) => `${tag.toLowerCase()}-`.startsWith(p.toLowerCase()));
}

export function isBcp47(tag: string): boolean {
  const known = cache.get(tag);
  if (known !== undefined) return known;
  const result = check(tag);
  // Files repeat the same handful of tags; the cache is bounded by what real input can hold.
  if (cache.size < 10_000) cache.set(tag, result);
  return result;
}

function check(tag: string): boolean {
  const m = TAG.exec(tag.toUpperCase());
  if (m === null) return false;
  if (m[1] !== undefined) return true;
  const [, , lang = '', script, region, variants] = m;
  const reg = load();
  const languageOk = (code: string) => inRange(reg.language, code.toLowerCase(), [['qaa', 'qtz']]);
  if (lang.includes('-')) {
    const [base = '', ...extlangs] = lang.split('-');
    if (!languageOk(base)) return false;
    for (const e of extlangs) {
      const index = reg.extlang.get(e.toLowerCase());
      if (index === undefined || !prefixOk(tag, prefixesOf(index))) return false;
    }
  } else if (lang.length > 3 || !languageOk(lang)) {
    return false;
  }
  if (script !== undefined && !inRange(reg.script, script.toLowerCase(), [['qaaa', 'qabx']])) return false;
  if (region !== undefined && !inRange(reg.region, region.toLowerCase(), [['qm', 'qz'], ['xa', 'xz']])) return false;
  if (variants !== undefined) {
    for (const v of variants.split('-')) {
      const index = reg.variant.get(v.toLowerCase());
      if (index === undefined || !prefixOk(tag, prefixesOf(index))) return false;
    }
  }
  return true;
}
