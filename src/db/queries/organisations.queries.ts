import { and, asc, eq, gt, inArray, type SQL } from 'drizzle-orm';
import type { Executor } from '../client';
import { organisations } from '../schema/organisations';

export type OrganisationRow = typeof organisations.$inferSelect;
export type OrganisationInsert = typeof organisations.$inferInsert;

export async function findOrganisation(db: Executor, by: { id: string } | { slug: string }) {
  const where = 'id' in by ? eq(organisations.id, by.id) : eq(organisations.slug, by.slug);
  const [row] = await db.select().from(organisations).where(where).limit(1);
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

/** Ordered by slug (unique), so the cursor is the last slug and pages never overlap. */
export async function listOrganisations(
  db: Executor,
  filter: { kind?: string[]; state?: string[]; programme?: string[]; afterSlug?: string; limit: number },
) {
  const where: SQL[] = [];
  if (filter.kind?.length) where.push(inArray(organisations.kind, filter.kind as never[]));
  if (filter.state?.length) where.push(inArray(organisations.state, filter.state));
  if (filter.programme?.length) where.push(inArray(organisations.programme, filter.programme));
  if (filter.afterSlug !== undefined) where.push(gt(organisations.slug, filter.afterSlug));
  return db
    .select()
    .from(organisations)
    .where(and(...where))
    .orderBy(asc(organisations.slug))
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
