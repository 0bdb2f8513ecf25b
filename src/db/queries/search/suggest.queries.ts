import { sql } from 'drizzle-orm';
import type { Executor } from '../../client';
import { rows } from './statement';

export type SuggestRow = { kind: 'software' | 'term'; text: string; slug: string | null };

/**
 * Autocompletion, first statement: software names starting with the prefix (most reused first:
 * a common prefix walks the (reuse_count DESC, name_fold) index and stops after `limit`, a rare
 * one takes the text_pattern_ops range) and vocabulary terms completing the last word.
 */
export async function suggest(
  db: Executor,
  input: { prefix: string; lastWord: string; head: string; limit: number },
): Promise<SuggestRow[]> {
  return rows<SuggestRow>(
    db,
    sql`(SELECT 'software' AS kind, ss.name AS text, ss.slug FROM software_search ss
        WHERE ss.active AND ss.name_fold LIKE (public.th_fold(${input.prefix}) || '%')
        ORDER BY ss.reuse_count DESC, ss.name_fold LIMIT ${input.limit})
      UNION ALL
      (SELECT 'term' AS kind, ${input.head} || t.display AS text, NULL AS slug FROM search_term t
        WHERE t.term LIKE (public.th_fold(${input.lastWord}) || '%') AND t.doc_count > 0
          -- Terms worth searching for: no stop word of either language ("open der"), nothing shorter than 3 letters.
          -- The display form too: the German stop words with umlauts are no stop words once folded ("für" → "fur").
          AND length(t.term) >= 3 AND public.th_word_query(t.term, false) IS NOT NULL
          AND numnode(plainto_tsquery('pg_catalog.german'::regconfig, lower(t.display))) > 0
        ORDER BY t.doc_count DESC, t.term LIMIT ${input.limit})`,
  );
}

/**
 * Autocompletion, only when the first statement found fewer names than wanted: names with a
 * later word starting with the prefix ("sensor" → "Parkraum-Sensorik"), through the name-word GIN
 * index; the regular expression keeps the exact "a word starts with the prefix" meaning.
 */
export async function suggestByWord(
  db: Executor,
  input: { prefix: string; wordQuery: string; limit: number },
): Promise<SuggestRow[]> {
  return rows<SuggestRow>(
    db,
    sql`SELECT 'software' AS kind, ss.name AS text, ss.slug FROM software_search ss
      WHERE ss.active AND to_tsvector('simple'::regconfig, regexp_replace(ss.name_fold, '[^a-z0-9]+', ' ', 'g')) @@ ${input.wordQuery}::tsquery
        AND ss.name_fold ~ ('(^|[^a-z0-9])' || public.th_fold(${input.prefix}))
        AND ss.name_fold NOT LIKE (public.th_fold(${input.prefix}) || '%')
      ORDER BY ss.reuse_count DESC, ss.name_fold LIMIT ${input.limit}`,
  );
}

