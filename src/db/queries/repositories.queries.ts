import { and, arrayContains, asc, eq, gt, inArray, isNotNull, isNull, ne, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../client';
import { repositories, type CrawlState, type HostKind, type PauseReason } from '../schema/repositories';

export type RepositoryRow = typeof repositories.$inferSelect;
export type RepositoryInsert = typeof repositories.$inferInsert;

export async function findRepository(db: Executor, id: string) {
  const [row] = await db.select().from(repositories).where(eq(repositories.id, id)).limit(1);
  return row ?? null;
}

/** The repository as it is now, its row locked until the transaction ends (a crawl's outcome is computed from it). */
export async function lockRepository(db: Executor, id: string) {
  const [row] = await db.select().from(repositories).where(eq(repositories.id, id)).for('update');
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

/**
 * Shows the repository as queued and lifts a pause, unless a crawl is running (that crawl writes
 * its own outcome); null when it was running.
 */
export async function markQueuedUnlessRunning(db: Executor, id: string) {
  const [row] = await db
    .update(repositories)
    .set({ crawlState: 'queued', pausedReason: null, pausedAt: null, updatedAt: new Date() })
    .where(and(eq(repositories.id, id), ne(repositories.crawlState, 'running')))
    .returning();
  return row ?? null;
}

/** Puts the crawl state and pause back, only while the repository still shows 'queued' (nothing else has written since). */
export async function restoreQueuedCrawlState(db: Executor, id: string, previous: Pick<RepositoryRow, 'crawlState' | 'pausedReason' | 'pausedAt'>) {
  await db
    .update(repositories)
    .set({ crawlState: previous.crawlState, pausedReason: previous.pausedReason, pausedAt: previous.pausedAt, updatedAt: new Date() })
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

/** Removes the row; a job queued for it finds nothing and ends as skipped. */
export async function deleteRepository(db: Executor, id: string) {
  const [row] = await db.delete(repositories).where(eq(repositories.id, id)).returning();
  return row ?? null;
}

export type RepositoryFilter = {
  organisationIds?: string[];
  hostKinds?: HostKind[];
  /** Lower-case host names, with the port when the URL has one ("git.stadt.de:8443"). */
  hostNames?: string[];
  /** Any of these states, or (paused: true) paused: one condition, either suffices. */
  crawlStates?: CrawlState[];
  paused?: boolean;
  /** A canonical URL: the repository registered with it, or that had it before a move (aliases). */
  url?: string;
  afterUrl?: string;
  limit: number;
};

/** GET /v1/repositories: in URL order (unique), cursor = last URL. */
export async function listRepositories(db: Executor, filter: RepositoryFilter) {
  const where: SQL[] = [];
  if (filter.organisationIds?.length) where.push(inArray(repositories.organisationId, filter.organisationIds));
  const hosts: SQL[] = [];
  if (filter.hostKinds?.length) hosts.push(inArray(repositories.hostKind, filter.hostKinds));
  // Canonical URLs are scheme://host[:port]/path with a lower-case host: the third '/'-part is the host.
  if (filter.hostNames?.length) hosts.push(inArray(sql`split_part(${repositories.url}, '/', 3)`, filter.hostNames));
  if (hosts.length) where.push(or(...hosts)!);
  const states: SQL[] = [];
  if (filter.crawlStates?.length) states.push(inArray(repositories.crawlState, filter.crawlStates));
  if (filter.paused) states.push(isNotNull(repositories.pausedReason));
  if (states.length) where.push(or(...states)!);
  if (filter.url !== undefined) where.push(or(eq(repositories.url, filter.url), arrayContains(repositories.aliases, [filter.url]))!);
  if (filter.afterUrl !== undefined) where.push(gt(repositories.url, filter.afterUrl));
  return db.select().from(repositories).where(and(...where)).orderBy(asc(repositories.url)).limit(filter.limit);
}

/** Stops the scheduled crawls of a software entry's repositories (it was deactivated). */
export async function pauseRepositoriesOfSoftware(db: Executor, softwareId: string, reason: PauseReason) {
  await db
    .update(repositories)
    .set({ pausedReason: reason, pausedAt: new Date(), updatedAt: new Date() })
    .where(and(eq(repositories.softwareId, softwareId), isNull(repositories.pausedReason)));
}

/** Lifts a pause of the given reason from a software entry's repositories (it was reactivated). */
export async function resumeRepositoriesOfSoftware(db: Executor, softwareId: string, reason: PauseReason) {
  await db
    .update(repositories)
    .set({ pausedReason: null, pausedAt: null, updatedAt: new Date() })
    .where(and(eq(repositories.softwareId, softwareId), eq(repositories.pausedReason, reason)));
}
