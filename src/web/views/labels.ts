import { categoryLabel } from '../../metadata/categories';
import type { MessageKey, Translator } from '../i18n';

const TRANSLATED: Record<string, string> = {
  status: 'status',
  organisationKind: 'kind',
  productionReuse: 'facet.productionReuse',
  confirmedReuse: 'facet.confirmedReuse',
  transferPackage: 'facet.transferPackage',
};

/** A facet value as people read it: vocabularies translated (categories by the taxonomy), names and SPDX ids as they are. */
export function facetLabel(i18n: Translator, param: string, value: string): string {
  if (param === 'category') return categoryLabel(value, i18n.locale);
  const prefix = TRANSLATED[param];
  if (!prefix) return value;
  return labelOf(i18n, `${prefix}.${value}`, value);
}

/** A message by a key built from data; the value itself when the catalogue has no such key. */
export function labelOf(i18n: Translator, key: string, fallback: string): string {
  const text = i18n.t(key as MessageKey);
  return text === undefined || text === key ? fallback : text;
}
