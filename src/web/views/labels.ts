import type { MessageKey, Translator } from '../i18n';

const TRANSLATED: Record<string, string> = { status: 'status', organisationKind: 'kind', productionReuse: 'facet.productionReuse' };

/** A facet value as people read it: vocabularies translated, names and SPDX ids as they are. */
export function facetLabel(i18n: Translator, param: string, value: string): string {
  const prefix = TRANSLATED[param];
  if (!prefix) return value;
  return labelOf(i18n, `${prefix}.${value}`, value);
}

/** A message by a key built from data; the value itself when the catalogue has no such key. */
export function labelOf(i18n: Translator, key: string, fallback: string): string {
  const text = i18n.t(key as MessageKey);
  return text === undefined || text === key ? fallback : text;
}
