import { and, arrayOverlaps, asc, desc, eq, exists, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../client';
import { jsonItem, listRead, queryBuilder, softwareIdParam, type JsonRead } from '../json-read';
import { needMatches, needs, needSupporters, type MatchExplanation, type NeedStatus } from '../schema/needs';
import { organisations } from '../schema/organisations';
import { reuses } from '../schema/reuses';
import { software } from '../schema/software';

export type NeedRow = typeof needs.$inferSelect;
export type NeedInsert = typeof needs.$inferInsert;

const orgRef = { id: organisations.id, slug: organisations.slug, name: organisations.name };

const listColumns = {
  need: needs,
  organisation: orgRef,
  supporterCount: sql<number>`(SELECT count(*)::int FROM need_supporter s WHERE s.need_id = ${needs.id})`,
  matchCount: sql<number>`(SELECT count(*)::int FROM need_match m WHERE m.need_id = ${needs.id})`,
};

export async function insertNeed(db: Executor, values: NeedInsert) {
  const [row] = await db.insert(needs).values(values).returning({ id: needs.id });
  return row!;
}

export async function updateNeed(db: Executor, id: string, values: Partial<NeedInsert>) {
  await db.update(needs).set({ ...values, updatedAt: new Date() }).where(eq(needs.id, id));
}

export async function findNeed(db: Executor, id: string) {
  const [row] = await db
    .select(listColumns)
    .from(needs)
    .innerJoin(organisations, eq(organisations.id, needs.organisationId))
    .where(eq(needs.id, id))
    .limit(1);
  return row ?? null;
}

export type NeedFilter = {
  status?: NeedStatus[];
  category?: string[];
  organisationIds?: string[];
  q?: string;
  after?: { createdAt: string; id: string };
  limit: number;
};

/**
 * Newest first (cursor: created_at, id). `q` matches title and description with the search
 * module's German configuration on folded text (umlauts, stems); needs are few next to software,
 * so the text test runs on the rows the other filters leave, without an index of its own.
 */
export async function listNeeds(db: Executor, filter: NeedFilter) {
  const where: SQL[] = [];
  if (filter.status?.length) where.push(inArray(needs.status, filter.status));
  if (filter.category?.length) where.push(arrayOverlaps(needs.categories, filter.category));
  if (filter.organisationIds?.length) {
    where.push(
      or(
        inArray(needs.organisationId, filter.organisationIds),
        exists(
          db
            .select({ one: sql`1` })
            .from(needSupporters)
            .where(and(eq(needSupporters.needId, needs.id), inArray(needSupporters.organisationId, filter.organisationIds))),
        ),
      )!,
    );
  }
  if (filter.q?.trim()) {
    where.push(
      sql`to_tsvector('public.th_german'::regconfig, public.th_fold(${needs.title} || ' ' || ${needs.description}))
        @@ plainto_tsquery('public.th_german'::regconfig, public.th_fold(${filter.q}))`,
    );
  }
  if (filter.after) {
    const at = new Date(filter.after.createdAt);
    where.push(or(lt(needs.createdAt, at), and(eq(needs.createdAt, at), lt(needs.id, filter.after.id)))!);
  }
  return db
    .select(listColumns)
    .from(needs)
    .innerJoin(organisations, eq(organisations.id, needs.organisationId))
    .where(and(...where))
    .orderBy(desc(needs.createdAt), desc(needs.id))
    .limit(filter.limit);
}

export async function listSupporters(db: Executor, needId: string) {
  return db
    .select({ organisation: orgRef, joinedAt: needSupporters.joinedAt })
    .from(needSupporters)
    .innerJoin(organisations, eq(organisations.id, needSupporters.organisationId))
    .where(eq(needSupporters.needId, needId))
    .orderBy(asc(needSupporters.joinedAt));
}

/** False when the organisation had joined already. */
export async function insertSupporter(db: Executor, values: { needId: string; organisationId: string }) {
  const rows = await db.insert(needSupporters).values(values).onConflictDoNothing().returning({ needId: needSupporters.needId });
  return rows.length > 0;
}

export async function deleteSupporter(db: Executor, values: { needId: string; organisationId: string }) {
  const rows = await db
    .delete(needSupporters)
    .where(and(eq(needSupporters.needId, values.needId), eq(needSupporters.organisationId, values.organisationId)))
    .returning({ needId: needSupporters.needId });
  return rows.length > 0;
}

/** The matches of a need, best first, each with the organisations currently reusing the software. */
export async function listMatches(db: Executor, needId: string) {
  const rows = await db
    .select({
      rank: needMatches.rank,
      score: needMatches.score,
      explanation: needMatches.explanation,
      software: { id: software.id, slug: software.slug, name: software.name },
      organisation: orgRef,
    })
    .from(needMatches)
    .innerJoin(software, eq(software.id, needMatches.softwareId))
    .innerJoin(organisations, eq(organisations.id, software.organisationId))
    .where(eq(needMatches.needId, needId))
    .orderBy(asc(needMatches.rank));
  if (rows.length === 0) return [];
  const reusedBy = await db
    .select({ softwareId: reuses.softwareId, organisation: orgRef, status: reuses.status, verification: reuses.verification })
    .from(reuses)
    .innerJoin(organisations, eq(organisations.id, reuses.organisationId))
    .where(and(inArray(reuses.softwareId, rows.map((r) => r.software.id)), sql`${reuses.withdrawnAt} IS NULL`, sql`${reuses.status} <> 'retired'`))
    .orderBy(asc(organisations.name));
  return rows.map((row) => ({ ...row, reusedBy: reusedBy.filter((r) => r.softwareId === row.software.id) }));
}

/** Replaces a need's matches (a re-match is complete: software that no longer matches leaves). */
export async function replaceMatches(
  db: Executor,
  needId: string,
  matches: { softwareId: string; rank: number; score: number; explanation: MatchExplanation }[],
) {
  await db.delete(needMatches).where(eq(needMatches.needId, needId));
  if (matches.length > 0) await db.insert(needMatches).values(matches.map((m) => ({ ...m, needId })));
}

/** Needs still looking (open or matched) whose matches are older than the catalogue revision. */
export async function needsToRematch(db: Executor, revision: string, limit: number) {
  return db
    .select({ id: needs.id })
    .from(needs)
    .where(and(inArray(needs.status, ['open', 'matched']), sql`${needs.matchedRevision} IS DISTINCT FROM ${revision}`))
    .orderBy(asc(needs.createdAt))
    .limit(limit);
}

export async function findNeedRow(db: Executor, id: string) {
  const [row] = await db.select().from(needs).where(eq(needs.id, id)).limit(1);
  return row ?? null;
}

/** The need's status now, its row locked until the transaction ends (an edit of the need waits). */
export async function lockNeedStatus(db: Executor, id: string): Promise<NeedStatus | null> {
  const [row] = await db.select({ status: needs.status }).from(needs).where(eq(needs.id, id)).for('update');
  return row?.status ?? null;
}

/** After a matching: the revision it saw and the status it implies; updated_at stays the author's. */
export async function recordMatching(db: Executor, id: string, values: { revision: string; status: NeedStatus }) {
  await db.update(needs).set({ matchedRevision: values.revision, matchedAt: new Date(), status: values.status }).where(eq(needs.id, id));
}

/**
 * Needs the matching attached this software to, open ones first, then by rank. need_match has no
 * index on software_id of its own: needs are few next to software (see listNeeds), so the scan
 * stays small; add one when needs grow into the thousands.
 */
const matchingColumns = { ...listColumns, rank: needMatches.rank };
const matchingOrder = [sql`${needs.status} = 'open' DESC`, asc(needMatches.rank), desc(needs.createdAt)];

export type MatchingNeedRow = { need: NeedRow; organisation: { id: string; slug: string; name: string }; supporterCount: number; matchCount: number; rank: number };

/** The open needs matched to one software entry, open first, best match first (placeholders softwareId and limit); a read that can travel with others (the software page). */
export const needsMatchingSoftwareRead: JsonRead<MatchingNeedRow[]> = listRead(
    matchingColumns,
    queryBuilder
      .select(jsonItem(matchingColumns, ...matchingOrder))
      .from(needMatches)
      .innerJoin(needs, eq(needs.id, needMatches.needId))
      .innerJoin(organisations, eq(organisations.id, needs.organisationId))
      .where(and(eq(needMatches.softwareId, softwareIdParam), sql`${needs.status} <> 'closed'`))
      .orderBy(...matchingOrder)
      .limit(sql.placeholder('limit')),
  );
