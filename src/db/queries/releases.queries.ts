import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../client';
import { jsonItem, listRead, queryBuilder, softwareIdParam, type JsonRead } from '../json-read';
import { releases } from '../schema/releases';
import { federationRecords } from '../schema/federation';
import { originCondition, provenanceColumns, provenanceJoin, type OriginFilter, type ProvenanceColumns } from './federation-provenance.queries';

export type ReleaseRow = typeof releases.$inferSelect;
export type ReleaseInsert = typeof releases.$inferInsert;

export async function findRelease(db: Executor, { softwareId, version }: { softwareId: string; version: string }) {
  const [row] = await db
    .select()
    .from(releases)
    .where(and(eq(releases.softwareId, softwareId), eq(releases.version, version)))
    .limit(1);
  return row ?? null;
}

/** The sort keys of a software entry's releases (the release list pages by them), optionally only those of one origin. */
export async function listReleaseKeys(db: Executor, { softwareId, origin }: { softwareId: string; origin?: OriginFilter }) {
  return db
    .select({ id: releases.id, version: releases.version, releasedAt: releases.releasedAt })
    .from(releases)
    .where(and(eq(releases.softwareId, softwareId), origin ? originCondition('release', sql`${releases.id}`, origin) : undefined));
}

const keyColumns = { id: releases.id, version: releases.version, releasedAt: releases.releasedAt, url: releases.url, provenance: provenanceColumns };

/** The sort keys of every release with its link and provenance (what a list of versions shows), as a read that can travel with others. */
export const releaseKeysRead: JsonRead<{ id: string; version: string; releasedAt: Date | null; url: string | null; provenance: ProvenanceColumns | null }[]> = listRead(
  keyColumns,
  queryBuilder
    .select(jsonItem(keyColumns, asc(releases.id)))
    .from(releases)
    .leftJoin(federationRecords, provenanceJoin('release', releases.id))
    .where(eq(releases.softwareId, softwareIdParam)),
);

export async function findReleasesByIds(db: Executor, ids: string[]) {
  if (ids.length === 0) return [];
  return db.select().from(releases).where(inArray(releases.id, ids));
}

export async function insertRelease(db: Executor, values: ReleaseInsert) {
  const [row] = await db.insert(releases).values(values).returning();
  return row!;
}

export async function updateRelease(db: Executor, id: string, values: Partial<ReleaseInsert>) {
  const [row] = await db.update(releases).set(values).where(eq(releases.id, id)).returning();
  return row!;
}

/**
 * Crawled tags: insert what is new, leave existing rows alone (a release a CI
 * pipeline pushed keeps its notes). Safe to run twice.
 */
export async function insertCrawledReleases(db: Executor, rows: ReleaseInsert[]) {
  if (rows.length === 0) return [];
  return db.insert(releases).values(rows).onConflictDoNothing({ target: [releases.softwareId, releases.version] }).returning();
}

/** Removes releases a crawl made (never pushed ones) by version. */
export async function deleteCrawledReleases(db: Executor, { softwareId, versions }: { softwareId: string; versions: string[] }) {
  if (versions.length === 0) return;
  await db
    .delete(releases)
    .where(and(eq(releases.softwareId, softwareId), eq(releases.source, 'crawl'), inArray(releases.version, versions)));
}
