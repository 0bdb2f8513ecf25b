import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../client';
import { rows } from './statement';

/**
 * What the in-process search index (src/domain/search/index/) reads of the search document: one
 * row per entry with its ranking and facet columns, the lexemes of its vectors and the folded
 * texts compound parts are looked for in. Loaded in pages by software_id, kept in step by the
 * entries search_change lists after a revision (migration 0019).
 */
export type IndexedRow = {
  software_id: string;
  slug: string;
  active: boolean;
  boost: string;
  organisation_id: string;
  licence_keys: string[];
  licence_choices: string[];
  categories: string[];
  states: string[];
  organisation_kind: string;
  development_status: string | null;
  cohort_year: number | null;
  production_reuse: boolean;
  confirmed_reuse: boolean;
  transfer_package: string;
  /** The origin hub of a mirrored entry; null: local. */
  origin_hub: string | null;
  name_fold: string;
  keywords: string;
  /** Lexemes joined by U+001F (splitLexemes). */
  name_lexemes: string;
  short_lexemes: string;
  more_lexemes: string;
  /** Null when the entry has no row in software_search_text (no long description or README vectors). */
  long_lexemes: string | null;
  readme_lexemes: string | null;
};

const columns = sql`ss.software_id, ss.slug, ss.active, ss.boost::text AS boost, ss.organisation_id, ss.licence_keys,
  ss.licence_choices, ss.categories, ss.states, ss.organisation_kind, ss.development_status, ss.cohort_year,
  ss.production_reuse, ss.confirmed_reuse, ss.transfer_package, ss.origin_hub, ss.name_fold, ss.keywords,
  ${lexemes(sql`ss.name_tsv`)} AS name_lexemes, ${lexemes(sql`ss.short_tsv`)} AS short_lexemes,
  ${lexemes(sql`ss.more_tsv`)} AS more_lexemes, ${lexemes(sql`st.long_tsv`)} AS long_lexemes,
  ${lexemes(sql`st.readme_tsv`)} AS readme_lexemes`;

/**
 * A vector's lexemes as one text, separated by U+001F (no lexeme holds a control character): the
 * driver's parsing of a text[] of 160 README lexemes per entry took most of a load's 48 s.
 */
function lexemes(vector: SQL): SQL {
  return sql`array_to_string(tsvector_to_array(${vector}), chr(31))`;
}

/** The lexemes of one of the columns above. */
export function splitLexemes(text: string | null): string[] {
  return text ? text.split('\x1f') : [];
}

/** The index's columns of the entries software_search ss_page holds (a sub-select, so the text rows are read by key). */
function select(page: SQL): SQL {
  return sql`SELECT ${columns} FROM ${page} ss LEFT JOIN software_search_text st ON st.software_id = ss.software_id`;
}

/** The revision an index load starts from (every change after it is read again later) and the entries there are. */
export async function indexStart(db: Executor): Promise<{ revision: bigint; entries: number }> {
  const [row] = await rows<{ revision: string; entries: number }>(
    db,
    sql`SELECT (SELECT revision::text FROM catalogue_revision) AS revision, (SELECT count(*)::int FROM software_search) AS entries`,
  );
  return { revision: BigInt(row?.revision ?? '0'), entries: row?.entries ?? 0 };
}

/** One page of entries in software_id order, after `after`. */
export async function indexedRows(db: Executor, input: { after: string | null; limit: number }): Promise<IndexedRow[]> {
  return rows<IndexedRow>(
    db,
    sql`${select(sql`(SELECT * FROM software_search WHERE ${input.after === null ? sql`true` : sql`software_id > ${input.after}::uuid`}
      ORDER BY software_id LIMIT ${input.limit})`)} ORDER BY ss.software_id`,
  );
}

/** The nil id in search_change: software_search was truncated, every index loads anew. */
export const EVERYTHING_CHANGED = '00000000-0000-0000-0000-000000000000';

/**
 * The entries changed after `after` and the revision this read sees, in one statement (one
 * snapshot): every change up to that revision is among them. `ids` may name deleted entries
 * (not among `rows`) and EVERYTHING_CHANGED.
 */
export async function changesSince(db: Executor, after: bigint): Promise<{ revision: bigint; ids: string[]; rows: IndexedRow[] }> {
  const [head] = await rows<{ revision: string; ids: string[]; docs: IndexedRow[] | null }>(
    db,
    sql`WITH c AS (SELECT software_id FROM search_change WHERE revision > ${String(after)}::bigint)
      SELECT (SELECT revision::text FROM catalogue_revision) AS revision,
        ARRAY(SELECT software_id::text FROM c) AS ids,
        (SELECT json_agg(d) FROM (${select(sql`(SELECT * FROM software_search WHERE software_id IN (SELECT software_id FROM c))`)}) d) AS docs`,
  );
  return { revision: BigInt(head?.revision ?? '0'), ids: head?.ids ?? [], rows: head?.docs ?? [] };
}
