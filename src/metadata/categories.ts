import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { packagePath } from '../lib/package-root';

export type CategoryFacet = 'domain' | 'platform-layer';
export type Category = { key: string; facet: CategoryFacet; label: { de: string; en: string }; scopes: string[] };

type Row = { key: string; facet: CategoryFacet; label_de: string; label_en: string; scope: string };

/**
 * The hub's category taxonomy (data/taxonomy/categories.csv, the project's copy of the shared
 * categories.md): keys with German and English labels. Read once: 16 rows.
 */
export const CATEGORIES: ReadonlyMap<string, Category> = new Map(
  (parse(readFileSync(packagePath('data', 'taxonomy', 'categories.csv')), { columns: true, skip_empty_lines: true, trim: true }) as Row[]).map((row) => [
    row.key,
    { key: row.key, facet: row.facet, label: { de: row.label_de, en: row.label_en }, scopes: row.scope ? row.scope.split(';') : [] },
  ]),
);

/**
 * A category as people read it in `locale`: the taxonomy's label, or the key as written for
 * values outside it (publiccode.yml's function list, which has no labels of ours, and free text).
 */
export function categoryLabel(key: string, locale: 'de' | 'en'): string {
  return CATEGORIES.get(key)?.label[locale] ?? key;
}
