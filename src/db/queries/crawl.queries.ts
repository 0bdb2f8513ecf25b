import { asc, count, eq, inArray, isNull } from 'drizzle-orm';
import type { Executor } from '../client';
import { organisations } from '../schema/organisations';
import { repositories, type CrawlState } from '../schema/repositories';
import { releases } from '../schema/releases';

/** The scheduled refresh walks every repository not paused; ordered so the spread is stable between runs. */
export async function listRepositoryIds(db: Executor) {
  const rows = await db.select({ id: repositories.id }).from(repositories).where(isNull(repositories.pausedReason)).orderBy(asc(repositories.createdAt), asc(repositories.id));
  return rows.map((row) => row.id);
}

/** Repositories in one of `states` (start-up reconciliation: crawls a fault left behind). */
export async function listRepositoryIdsInCrawlStates(db: Executor, states: CrawlState[]) {
  const rows = await db
    .select({ id: repositories.id })
    .from(repositories)
    .where(inArray(repositories.crawlState, states))
    .orderBy(asc(repositories.createdAt), asc(repositories.id));
  return rows.map((row) => row.id);
}

export async function listReleaseVersions(db: Executor, softwareId: string) {
  const rows = await db.select({ version: releases.version }).from(releases).where(eq(releases.softwareId, softwareId));
  return new Set(rows.map((row) => row.version));
}

export async function findWebhookSecret(db: Executor, organisationId: string) {
  const [row] = await db
    .select({ secret: organisations.webhookSecret })
    .from(organisations)
    .where(eq(organisations.id, organisationId))
    .limit(1);
  return row?.secret ?? null;
}

export async function setWebhookSecret(db: Executor, organisationId: string, secret: string | null) {
  await db.update(organisations).set({ webhookSecret: secret, updatedAt: new Date() }).where(eq(organisations.id, organisationId));
}

/** Repositories per crawl state (GET /metrics). */
export async function countRepositoriesByCrawlState(db: Executor) {
  return db.select({ state: repositories.crawlState, count: count() }).from(repositories).groupBy(repositories.crawlState);
}
