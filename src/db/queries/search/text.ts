import { sql, type SQL } from 'drizzle-orm';
import { facetConditions, type SearchFilter } from './facets';
import { and, arrayLiteral, literal, or, param } from './statement';

/** One query word: matches when its tsquery (stems, prefixes, corrections, synonyms) or a compound pattern does. */
export type WordMatch = {
  tsquery: string;
  patterns: string[];
  /** Compound parts that reach the keywords class and below only: a synonym's ("trees" finds
   * "Stadtbäumen"), so that entries naming the typed word itself rank first. */
  keywordPatterns?: string[];
};
export type TextQuery = {
  words: WordMatch[];
  /** OR of every word's tsquery: what ranking and the matched fields are measured against. */
  any: string;
};

/** The field classes of the search document, best first (see tiers.ts); 'readme' holds the experience reports too. */
export type Level = 'name' | 'short' | 'keywords' | 'long' | 'readme';

/** One word reaching a field class: its tsquery in that class's vectors or its compound pattern. */
export function wordReaches(w: WordMatch, level: Level): SQL {
  const q = sql`${literal(w.tsquery)}::tsquery`;
  const parts = [sql`ss.name_tsv @@ ${q}`];
  if (level !== 'name') parts.push(sql`ss.short_tsv @@ ${q}`);
  if (level !== 'name' && level !== 'short') parts.push(sql`ss.more_tsv @@ ${q}`);
  const column = level === 'name' || level === 'short' ? sql`ss.name_fold` : sql`ss.keywords`;
  for (const p of w.patterns) parts.push(sql`${column} LIKE ${literal(p)}`);
  if (level !== 'name' && level !== 'short') for (const p of w.keywordPatterns ?? []) parts.push(sql`ss.keywords LIKE ${literal(p)}`);
  if (level === 'long' || level === 'readme') parts.push(sql`st.long_tsv @@ ${q}`);
  // README level: readme_tsv holds the README and the entry's visible experience reports (migration 0013).
  if (level === 'readme') parts.push(sql`st.readme_tsv @@ ${q}`);
  return or(parts);
}

/**
 * "Every word reaches field class X" as SQL on software_search ss (and software_search_text st for
 * the lower classes). The name tier without compound patterns folds the words into one tsquery
 * (w1 & w2): one GIN scan, estimated as a whole.
 */
export function reaches(text: TextQuery, level: Level): SQL {
  if (level === 'name' && text.words.every((w) => w.patterns.length === 0)) {
    return sql`ss.name_tsv @@ ${literal(text.words.map((w) => `(${w.tsquery})`).join(' & '))}::tsquery`;
  }
  return and(text.words.map((w) => wordReaches(w, level)));
}

/**
 * Active entries passing the filters and, with a text, having every word in the primary fields or
 * the long descriptions (what facet counts count). README-only matches are left out: counting them
 * meant reading the README vectors of up to every entry (a word like "Sensor" is in 30 % of the
 * bench READMEs), seconds per request.
 */
export function baseCondition(filter: SearchFilter, text: TextQuery | null, literals = false): SQL {
  const parts: SQL[] = [sql`ss.active`];
  if (text && text.words.length > 0) {
    parts.push(
      and(
        text.words.map((w) =>
          or([
            wordReaches(w, 'keywords'),
            sql`ss.software_id IN (SELECT x.software_id FROM software_search_text x WHERE x.long_tsv @@ ${literal(w.tsquery)}::tsquery)`,
          ]),
        ),
      ),
    );
  }
  if (filter.organisationIds?.length) {
    const ids = literals ? arrayLiteral(filter.organisationIds, 'uuid') : param(filter.organisationIds, 'uuid');
    parts.push(sql`ss.organisation_id = ANY(${ids})`);
  }
  // The search document's copy of federation_record's origin hub (migration 0021), as the index filters.
  if (filter.origin === 'local') parts.push(sql`ss.origin_hub IS NULL`);
  else if (filter.origin) parts.push(sql`ss.origin_hub = ${literals ? literal(filter.origin.hub) : filter.origin.hub}`);
  for (const condition of Object.values(facetConditions(filter, literals))) parts.push(condition);
  return sql.join(parts, sql` AND `);
}
