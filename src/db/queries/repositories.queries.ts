import { and, arrayContains, asc, eq, ne, or } from 'drizzle-orm';
import type { Executor } from '../client';
import { repositories } from '../schema/repositories';

export type RepositoryRow = typeof repositories.$inferSelect;
export type RepositoryInsert = typeof repositories.$inferInsert;

export async function findRepository(db: Executor, id: string) {
  const [row] = await db.select().from(repositories).where(eq(repositories.id, id)).limit(1);
  return row ?? null;
}

/** A URL names a repository by its current canonical URL or any former one. */
export async function findRepositoryByUrl(db: Executor, url: string) {
  const [row] = await db
    .select()
    .from(repositories)
    .where(or(eq(repositories.url, url), arrayContains(repositories.aliases, [url])))
    .limit(1);
  return row ?? null;
}

export async function listRepositoriesOfSoftware(db: Executor, softwareId: string) {
  return db.select().from(repositories).where(eq(repositories.softwareId, softwareId)).orderBy(asc(repositories.url));
}

export async function insertRepository(db: Executor, values: RepositoryInsert) {
  const [row] = await db.insert(repositories).values(values).returning();
  return row!;
}

/** Sets the crawl state unless a crawl is running (that crawl writes its own outcome); null when it was running. */
export async function setCrawlStateUnlessRunning(db: Executor, id: string, crawlState: RepositoryRow['crawlState']) {
  const [row] = await db
    .update(repositories)
    .set({ crawlState, updatedAt: new Date() })
    .where(and(eq(repositories.id, id), ne(repositories.crawlState, 'running')))
    .returning();
  return row ?? null;
}

/** Puts a crawl state back, only while the repository still shows 'queued' (nothing else has written since). */
export async function restoreQueuedCrawlState(db: Executor, id: string, crawlState: RepositoryRow['crawlState']) {
  await db
    .update(repositories)
    .set({ crawlState, updatedAt: new Date() })
    .where(and(eq(repositories.id, id), eq(repositories.crawlState, 'queued')));
}

export async function updateRepository(db: Executor, id: string, values: Partial<RepositoryInsert>) {
  const [row] = await db
    .update(repositories)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(repositories.id, id))
    .returning();
  return row ?? null;
}
