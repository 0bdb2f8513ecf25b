import { and, asc, count, desc, eq, gt, gte, max, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../client';
import { organisations } from '../schema/organisations';
import { releases } from '../schema/releases';
import { repositories } from '../schema/repositories';
import { software } from '../schema/software';
import { originCondition, type OriginFilter } from './federation-provenance.queries';

/** The catalogue an export shows: active, listed entries (as the list API), changed since a date when asked. */
function catalogueWhere(filter: { modifiedSince?: Date }): SQL[] {
  const where = [eq(software.active, true), eq(software.listed, true)];
  if (filter.modifiedSince) where.push(gte(software.updatedAt, filter.modifiedSince));
  return where;
}

const publisherColumns = { id: organisations.id, slug: organisations.slug, name: organisations.name, website: organisations.website };

/**
 * What a catalogue record states, without READMEs and raw publiccode.yml (kilobytes per entry that
 * an export of 100,000 entries would read and drop): the scope list is the one part of the
 * crawled publiccode.yml the DCAT themes use.
 */
const recordColumns = {
  id: software.id,
  slug: software.slug,
  name: software.name,
  shortDescriptionDe: software.shortDescriptionDe,
  shortDescriptionEn: software.shortDescriptionEn,
  longDescriptionDe: software.longDescriptionDe,
  longDescriptionEn: software.longDescriptionEn,
  categories: software.categories,
  licence: software.licence,
  developmentStatus: software.developmentStatus,
  repositoryUrl: software.repositoryUrl,
  latestReleaseVersion: software.latestReleaseVersion,
  scope: sql<string[] | null>`${software.publiccode} -> 'intendedAudience' -> 'scope'`,
  createdAt: software.createdAt,
  updatedAt: software.updatedAt,
};

/**
 * One page of catalogue entries with their publisher, in slug order (unique): either after a slug
 * (keyset, for walking the whole catalogue) or at an offset (numbered pages, as harvesters ask).
 */
export async function listCatalogueRows(db: Executor, page: { modifiedSince?: Date; afterSlug?: string; offset?: number; limit: number }) {
  const where = catalogueWhere(page);
  if (page.afterSlug !== undefined) where.push(gt(software.slug, page.afterSlug));
  return db
    .select({ software: recordColumns, publisher: publisherColumns })
    .from(software)
    .innerJoin(organisations, eq(organisations.id, software.organisationId))
    .where(and(...where))
    .orderBy(asc(software.slug))
    .offset(page.offset ?? 0)
    .limit(page.limit);
}

export type CatalogueRow = Awaited<ReturnType<typeof listCatalogueRows>>[number];

export async function countCatalogue(db: Executor, filter: { modifiedSince?: Date }) {
  const [row] = await db.select({ n: count() }).from(software).where(and(...catalogueWhere(filter)));
  return row?.n ?? 0;
}

/** When the catalogue last changed (an export's own modification date); null when it is empty. */
export async function catalogueModifiedAt(db: Executor): Promise<Date | null> {
  const [row] = await db.select({ at: max(software.updatedAt) }).from(software).where(and(...catalogueWhere({})));
  return row?.at ?? null;
}

/** Repository URLs of listed, active entries and of repositories not yet tied to one, in URL order after a URL. */
export async function listRepositoryUrls(db: Executor, page: { afterUrl?: string; limit: number }) {
  const where: SQL[] = [sql`(${repositories.softwareId} IS NULL OR (${software.active} AND ${software.listed}))`];
  if (page.afterUrl !== undefined) where.push(gt(repositories.url, page.afterUrl));
  return db
    .select({ url: repositories.url })
    .from(repositories)
    .leftJoin(software, eq(software.id, repositories.softwareId))
    .where(and(...where))
    .orderBy(asc(repositories.url))
    .limit(page.limit);
}

/** New and changed entries, newest change first (the software feed), optionally only those of one origin. */
export async function listRecentSoftware(db: Executor, page: { origin?: OriginFilter; offset: number; limit: number }) {
  const where = catalogueWhere({});
  if (page.origin) where.push(originCondition('software', sql`${software.id}`, page.origin));
  return db
    .select({ software: recordColumns, publisher: publisherColumns })
    .from(software)
    .innerJoin(organisations, eq(organisations.id, software.organisationId))
    .where(and(...where))
    .orderBy(desc(software.updatedAt), asc(software.id))
    .offset(page.offset)
    .limit(page.limit);
}

/** A release's date in a feed: when it was released, else when the hub learnt of it. */
export const releaseDateSql = sql<Date>`coalesce(${releases.releasedAt}, ${releases.createdAt})`;

export type ReleaseFeedFilter = { organisationId?: string; softwareId?: string; origin?: OriginFilter };

function releaseWhere(filter: ReleaseFeedFilter): SQL[] {
  const where = [eq(software.active, true), eq(software.listed, true)];
  if (filter.organisationId) where.push(eq(software.organisationId, filter.organisationId));
  if (filter.softwareId) where.push(eq(releases.softwareId, filter.softwareId));
  if (filter.origin) where.push(originCondition('release', sql`${releases.id}`, filter.origin));
  return where;
}

/** Releases of listed entries, newest first; all, one organisation's or one entry's, optionally only those of one origin. */
export async function listRecentReleases(db: Executor, page: ReleaseFeedFilter & { offset: number; limit: number }) {
  return db
    .select({ release: releases, software: { id: software.id, slug: software.slug, name: software.name, repositoryUrl: software.repositoryUrl }, publisher: publisherColumns })
    .from(releases)
    .innerJoin(software, eq(software.id, releases.softwareId))
    .innerJoin(organisations, eq(organisations.id, software.organisationId))
    .where(and(...releaseWhere(page)))
    .orderBy(desc(releaseDateSql), asc(releases.id))
    .offset(page.offset)
    .limit(page.limit);
}

export type RecentReleaseRow = Awaited<ReturnType<typeof listRecentReleases>>[number];
