import { and, arrayOverlaps, asc, eq, gt, inArray, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../client';
import { organisations } from '../schema/organisations';
import { software } from '../schema/software';
import { originCondition, provenanceTableOf, referenceProvenanceColumns, referenceProvenanceJoin, type OriginFilter } from './federation-provenance.queries';

export type SoftwareRow = typeof software.$inferSelect;
export type SoftwareInsert = typeof software.$inferInsert;

export async function findSoftware(db: Executor, by: { id: string } | { slug: string }) {
  const where = 'id' in by ? eq(software.id, by.id) : eq(software.slug, by.slug);
  const [row] = await db.select().from(software).where(where).limit(1);
  return row ?? null;
}

export async function softwareSlugTaken(db: Executor, slug: string) {
  const [row] = await db.select({ id: software.id }).from(software).where(eq(software.slug, slug)).limit(1);
  return row !== undefined;
}

export type SoftwareFilter = {
  organisationIds?: string[];
  category?: string[];
  status?: string[];
  includeInactive?: boolean;
  /** The search document's reuse flags (reuse by other organisations, th_reuse_recount). */
  productionReuse?: boolean;
  confirmedReuse?: boolean;
  /** Only local records, or only those mirrored from one origin hub. */
  origin?: OriginFilter;
};

export function softwareFilterSql(filter: SoftwareFilter): SQL[] {
  const where: SQL[] = [];
  if (!filter.includeInactive) where.push(eq(software.active, true), eq(software.listed, true));
  if (filter.organisationIds?.length) where.push(inArray(software.organisationId, filter.organisationIds));
  if (filter.category?.length) where.push(arrayOverlaps(software.categories, filter.category));
  if (filter.status?.length) where.push(inArray(software.developmentStatus, filter.status));
  if (filter.productionReuse !== undefined) where.push(reuseFlag('production_reuse', filter.productionReuse));
  if (filter.confirmedReuse !== undefined) where.push(reuseFlag('confirmed_reuse', filter.confirmedReuse));
  if (filter.origin) where.push(originCondition('software', sql`${software.id}`, filter.origin));
  return where;
}

function reuseFlag(column: 'production_reuse' | 'confirmed_reuse', want: boolean): SQL {
  return sql`EXISTS (SELECT 1 FROM software_search ss WHERE ss.software_id = ${software.id} AND ss.${sql.raw(column)} = ${want})`;
}

// The publishing organisation says whether it is mirrored, read with the entry (one probe per row).
const organisationRecord = provenanceTableOf('organisation_record');

/** Browsing without a search term: ordered by slug (unique), cursor = last slug. */
export async function listSoftware(db: Executor, filter: SoftwareFilter & { afterSlug?: string; limit: number }) {
  const where = softwareFilterSql(filter);
  if (filter.afterSlug !== undefined) where.push(gt(software.slug, filter.afterSlug));
  return db
    .select({
      software,
      organisation: { id: organisations.id, slug: organisations.slug, name: organisations.name },
      organisationProvenance: referenceProvenanceColumns(organisationRecord),
    })
    .from(software)
    .innerJoin(organisations, eq(organisations.id, software.organisationId))
    .leftJoin(organisationRecord, referenceProvenanceJoin(organisationRecord, 'organisation', organisations.id))
    .where(and(...where))
    .orderBy(asc(software.slug))
    .limit(filter.limit);
}

export async function insertSoftware(db: Executor, values: SoftwareInsert) {
  const [row] = await db.insert(software).values(values).returning();
  return row!;
}

export async function updateSoftware(db: Executor, id: string, values: Partial<SoftwareInsert>) {
  const [row] = await db
    .update(software)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(software.id, id))
    .returning();
  return row!;
}

/** Summaries for a page of search hits, in the order of the given ids. */
export async function listSoftwareByIds(db: Executor, ids: string[]) {
  if (ids.length === 0) return [];
  const found = await db
    .select({ software, organisation: { id: organisations.id, slug: organisations.slug, name: organisations.name } })
    .from(software)
    .innerJoin(organisations, eq(organisations.id, software.organisationId))
    .where(inArray(software.id, ids));
  const byId = new Map(found.map((row) => [row.software.id, row]));
  return ids.map((id) => byId.get(id)).filter((row) => row !== undefined);
}
