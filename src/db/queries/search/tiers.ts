import { sql, type SQL } from 'drizzle-orm';
import { literal } from './statement';
import { reaches, type TextQuery } from './text';

/**
 * Ranking tiers, best first: every query word reaches at least this field class. The score of a
 * hit is tier + boost, where the boost (0–0.99, computed with the search document by th_boost
 * from the terms of th_boost_parts, see src/db/schema/search.schema.sql) orders hits within a tier
 * by the signals a user would weigh: reuses by others and confirmed production reuses,
 * transfer-package completeness, a recent release, publiccode.yml, maintenance. A change of a tier
 * rule is a change of `tierCondition` below; a new ranking signal is a new term of the boost (see
 * src/domain/search/README.md). The README tier holds the experience reports too.
 */
export const TIER = { name: 4, short: 3, keywords: 2, long: 1, readme: 0 } as const;
export type Tier = (typeof TIER)[keyof typeof TIER];

/** Stage 1, the hot table only; stage 2 joins the long description and README vectors and runs
 * only when stage 1 cannot fill the page (a separate statement: five branches cost 2.4 ms to plan). */
export const PRIMARY_TIERS: readonly Tier[] = [TIER.name, TIER.short, TIER.keywords];
export const LOWER_TIERS: readonly Tier[] = [TIER.long, TIER.readme];

/** Rows of exactly this tier: every word reaches its class, not every word the class above. */
export function tierCondition(text: TextQuery, tier: Tier): SQL {
  const any = sql`${literal(text.any)}::tsquery`;
  switch (tier) {
    case TIER.name:
      return reaches(text, 'name');
    case TIER.short:
      return sql`${reaches(text, 'short')} AND NOT ${reaches(text, 'name')}`;
    case TIER.keywords:
      return sql`${reaches(text, 'keywords')} AND NOT ${reaches(text, 'short')}`;
    // Some word is only in the long descriptions (README): the indexable st condition narrows
    // the candidates for rare words; the rest checks the tier.
    case TIER.long:
      return sql`st.long_tsv @@ ${any} AND ${reaches(text, 'long')} AND NOT ${reaches(text, 'keywords')}`;
    case TIER.readme:
      return sql`st.readme_tsv @@ ${any} AND ${reaches(text, 'readme')} AND NOT ${reaches(text, 'long')}`;
  }
}
