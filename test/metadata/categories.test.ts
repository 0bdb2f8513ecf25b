import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CATEGORIES, categoryLabel } from '../../src/metadata/categories';

const SHARED = new URL('../../../shared/data/categories.md', import.meta.url);

/** The rows of a Markdown table whose first cell is a backticked key: [key, label de, label en]. */
function tableRows(markdown: string, heading: string) {
  const section = markdown.split(/^## /m).find((part) => part.startsWith(heading))!;
  return [...section.matchAll(/^\| `([a-z-]+)` \| ([^|]+) \| ([^|]+) \|/gm)].map((m) => [m[1]!, m[2]!.trim(), m[3]!.trim()] as const);
}

describe('the category taxonomy', () => {
  it('labels the fields of action in German and English, and leaves other values as written', () => {
    expect(categoryLabel('mobilitaet', 'de')).toBe('Mobilität & Verkehr');
    expect(categoryLabel('mobilitaet', 'en')).toBe('Mobility & transport');
    expect(categoryLabel('geographic-information-systems', 'de')).toBe('geographic-information-systems');
    expect(CATEGORIES.get('beteiligung')?.scopes).toEqual(['society', 'local-authorities']);
    expect([...CATEGORIES.values()].filter((c) => c.facet === 'domain')).toHaveLength(12);
  });

  it.runIf(existsSync(SHARED))('is the shared categories.md as published (facet A: key and both labels)', () => {
    const rows = tableRows(readFileSync(SHARED, 'utf8'), 'Facet A');
    expect(rows).toHaveLength(12);
    for (const [key, de, en] of rows) expect(CATEGORIES.get(key)?.label, key).toEqual({ de, en });
  });
});
