import { and, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { SortedAfter } from '../../lib/cursor';
import type { Executor } from '../client';
import { organisations } from '../schema/organisations';
import { federationRecords } from '../schema/federation';
import { originCondition, provenanceColumns, provenanceJoin, type OriginFilter } from './federation-provenance.queries';
import { afterSql, orderBySql, sortKeySql, type SortSpec } from './keyset';

export type OrganisationRow = typeof organisations.$inferSelect;
export type OrganisationInsert = typeof organisations.$inferInsert;

export async function findOrganisation(db: Executor, by: { id: string } | { slug: string }) {
  const where = 'id' in by ? eq(organisations.id, by.id) : eq(organisations.slug, by.slug);
  const [row] = await db.select().from(organisations).where(where).limit(1);
  return row ?? null;
}

/** What a reference to an organisation shows (a software entry's publisher) with its provenance columns, in one statement. */
export async function findOrganisationRef(db: Executor, id: string) {
  const [row] = await db
    .select({ id: organisations.id, slug: organisations.slug, name: organisations.name, provenance: provenanceColumns })
    .from(organisations)
    .leftJoin(federationRecords, provenanceJoin('organisation', organisations.id))
    .where(eq(organisations.id, id))
    .limit(1);
  return row ?? null;
}

export async function findOrganisationByOfficialKey(db: Executor, officialKey: string) {
  const [row] = await db.select().from(organisations).where(eq(organisations.officialKey, officialKey)).limit(1);
  return row ?? null;
}

export async function slugTaken(db: Executor, slug: string) {
  const [row] = await db.select({ id: organisations.id }).from(organisations).where(eq(organisations.slug, slug)).limit(1);
  return row !== undefined;
}

export const ORGANISATION_SORTS = {
  slug: { expr: sql`${organisations.slug}`, direction: 'asc', type: 'text', nullable: false },
  // Folded (case, umlauts, ae/oe/ue) like search, so "Öhningen" sorts with "Ohlsbach".
  name: { expr: sql`public.th_fold(${organisations.name})`, direction: 'asc', type: 'text', nullable: false },
  newest: { expr: sql`${organisations.createdAt}`, direction: 'desc', type: 'timestamptz', nullable: false },
} satisfies Record<string, SortSpec>;
export type OrganisationSort = keyof typeof ORGANISATION_SORTS;

/** A LIKE pattern that matches `text` literally anywhere (% and _ in it are not wildcards). */
const containing = (text: SQL) => sql`'%' || ${text} || '%'`;
const literal = (text: string) => text.replace(/[\\%_]/g, '\\$&');

/**
 * Name (folded: case, umlauts, ae/oe/ue), slug or the start of an official key (a Kreisschlüssel
 * finds the county and its municipalities). No index: organisations number in the thousands at
 * most, a scan of them takes about a millisecond.
 */
function matching(q: string): SQL {
  const text = literal(q.trim());
  return or(
    sql`public.th_fold(${organisations.name}) LIKE ${containing(sql`public.th_fold(${text})`)}`,
    sql`${organisations.slug} LIKE ${containing(sql`lower(${text})`)}`,
    sql`${organisations.officialKey} LIKE ${text} || '%'`,
    sql`${q.trim()} = ANY(${organisations.memberKeys})`,
  )!;
}

/** In the given order, the slug breaking ties, so the cursor (sort key and slug) never skips a row. */
export async function listOrganisations(
  db: Executor,
  filter: { q?: string; kind?: string[]; state?: string[]; programme?: string[]; origin?: OriginFilter; sort: OrganisationSort; after: SortedAfter | null; limit: number },
) {
  const spec = ORGANISATION_SORTS[filter.sort];
  const where: SQL[] = [];
  if (filter.q?.trim()) where.push(matching(filter.q));
  if (filter.kind?.length) where.push(inArray(organisations.kind, filter.kind as never[]));
  if (filter.state?.length) where.push(inArray(organisations.state, filter.state));
  if (filter.programme?.length) where.push(inArray(organisations.programme, filter.programme));
  if (filter.origin) where.push(originCondition('organisation', sql`${organisations.id}`, filter.origin));
  if (filter.after) where.push(afterSql(spec, sql`${organisations.slug}`, filter.after));
  return db
    .select({ organisation: organisations, sortKey: sortKeySql(spec) })
    .from(organisations)
    .where(and(...where))
    .orderBy(orderBySql(spec, sql`${organisations.slug}`))
    .limit(filter.limit);
}

export async function insertOrganisation(db: Executor, values: OrganisationInsert) {
  const [row] = await db.insert(organisations).values(values).returning();
  return row!;
}

export async function updateOrganisation(db: Executor, id: string, values: Partial<OrganisationInsert>) {
  const [row] = await db
    .update(organisations)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(organisations.id, id))
    .returning();
  return row!;
}
