import { and, asc, count, eq } from 'drizzle-orm';
import type { Executor } from '../client';
import { organisations } from '../schema/organisations';
import { reuses } from '../schema/reuses';
import { software } from '../schema/software';

export type ReuseRow = typeof reuses.$inferSelect;
export type ReuseInsert = typeof reuses.$inferInsert;

const withNames = {
  reuse: reuses,
  organisation: { id: organisations.id, slug: organisations.slug, name: organisations.name },
  software: { id: software.id, slug: software.slug, name: software.name },
};

export async function listReuses(db: Executor, by: { softwareId: string } | { organisationId: string }) {
  const where = 'softwareId' in by ? eq(reuses.softwareId, by.softwareId) : eq(reuses.organisationId, by.organisationId);
  return db
    .select(withNames)
    .from(reuses)
    .innerJoin(organisations, eq(organisations.id, reuses.organisationId))
    .innerJoin(software, eq(software.id, reuses.softwareId))
    .where(where)
    .orderBy(asc(reuses.createdAt), asc(reuses.id));
}

export async function findReuse(db: Executor, by: { id: string } | { softwareId: string; organisationId: string }) {
  const where =
    'id' in by
      ? eq(reuses.id, by.id)
      : and(eq(reuses.softwareId, by.softwareId), eq(reuses.organisationId, by.organisationId));
  const [row] = await db
    .select(withNames)
    .from(reuses)
    .innerJoin(organisations, eq(organisations.id, reuses.organisationId))
    .innerJoin(software, eq(software.id, reuses.softwareId))
    .where(where)
    .limit(1);
  return row ?? null;
}

export async function insertReuse(db: Executor, values: ReuseInsert) {
  const [row] = await db.insert(reuses).values(values).returning({ id: reuses.id });
  return row!;
}

export async function updateReuse(db: Executor, id: string, values: Partial<ReuseInsert>) {
  await db.update(reuses).set({ ...values, updatedAt: new Date() }).where(eq(reuses.id, id));
}

export async function deleteReuse(db: Executor, id: string) {
  await db.delete(reuses).where(eq(reuses.id, id));
}

/** Recorded reuses of one software entry per status (a software detail's reuse counts). */
export async function countReusesByStatus(db: Executor, softwareId: string) {
  return db.select({ status: reuses.status, n: count() }).from(reuses).where(eq(reuses.softwareId, softwareId)).groupBy(reuses.status);
}
