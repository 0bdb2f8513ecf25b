import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../client';
import { experienceReports, type CostBand, type HostingKind } from '../schema/experience-reports';
import { organisations } from '../schema/organisations';

export type ExperienceReportInsert = typeof experienceReports.$inferInsert;

const withOrganisation = {
  report: experienceReports,
  organisation: { id: organisations.id, slug: organisations.slug, name: organisations.name },
};

export async function insertExperienceReport(db: Executor, values: ExperienceReportInsert) {
  const [row] = await db.insert(experienceReports).values(values).returning({ id: experienceReports.id });
  return row!;
}

export async function findExperienceReport(db: Executor, id: string) {
  const [row] = await db
    .select(withOrganisation)
    .from(experienceReports)
    .innerJoin(organisations, eq(organisations.id, experienceReports.organisationId))
    .where(eq(experienceReports.id, id))
    .limit(1);
  return row ?? null;
}

/** The public reports of one software entry, newest first (hidden ones left out). */
export async function listExperienceReports(db: Executor, softwareId: string) {
  return db
    .select(withOrganisation)
    .from(experienceReports)
    .innerJoin(organisations, eq(organisations.id, experienceReports.organisationId))
    .where(and(eq(experienceReports.softwareId, softwareId), isNull(experienceReports.hiddenAt)))
    .orderBy(desc(experienceReports.createdAt), desc(experienceReports.id));
}

export async function updateExperienceReport(db: Executor, id: string, values: Partial<ExperienceReportInsert>) {
  await db.update(experienceReports).set(values).where(eq(experienceReports.id, id));
}

/**
 * Answers "sets the answer only while there is none" in one statement, so two concurrent
 * answers cannot both win; false when the report was answered already.
 */
export async function answerExperienceReport(db: Executor, id: string, values: { answerMarkdown: string; answerHtml: string | null; answeredBy: string }) {
  const rows = await db
    .update(experienceReports)
    .set({ ...values, answeredAt: new Date() })
    .where(and(eq(experienceReports.id, id), isNull(experienceReports.answeredAt)))
    .returning({ id: experienceReports.id });
  return rows.length > 0;
}

export type ExperienceAggregates = {
  reports: number;
  medianEffortPersonDays: number | null;
  medianWeeksToGoLive: number | null;
  meanRecommendation: number | null;
  hosting: { value: HostingKind; count: number }[];
  runningCostBand: { value: CostBand; count: number }[];
};

/** The read model of GET /v1/software/{id}/experience, computed over the public reports on each read. */
export async function experienceAggregates(db: Executor, softwareId: string): Promise<ExperienceAggregates> {
  const visible = and(eq(experienceReports.softwareId, softwareId), isNull(experienceReports.hiddenAt));
  // One statement (the software page reads it on every view): the figures, and each distribution
  // as a JSON array ordered most first, counted by filtered aggregates over the same rows.
  const distribution = (column: typeof experienceReports.hosting | typeof experienceReports.runningCostBand) => sql`(
    SELECT coalesce(json_agg(json_build_object('value', d.value, 'count', d.count) ORDER BY d.count DESC, d.value), '[]'::json)
    FROM (SELECT ${column} AS value, count(*)::int AS count FROM ${experienceReports} WHERE ${visible} AND ${column} IS NOT NULL GROUP BY ${column}) d
  )`;
  const [summary] = await db
    .select({
      reports: sql<number>`count(*)::int`,
      medianEffortPersonDays: sql<number | null>`percentile_cont(0.5) WITHIN GROUP (ORDER BY ${experienceReports.effortPersonDays})`,
      medianWeeksToGoLive: sql<number | null>`percentile_cont(0.5) WITHIN GROUP (ORDER BY ${experienceReports.weeksToGoLive})`,
      meanRecommendation: sql<number | null>`round(avg(${experienceReports.recommendation}), 2)::float8`,
      hosting: sql<{ value: string; count: number }[]>`${distribution(experienceReports.hosting)}`,
      runningCostBand: sql<{ value: string; count: number }[]>`${distribution(experienceReports.runningCostBand)}`,
    })
    .from(experienceReports)
    .where(visible);
  const num = (value: unknown) => (value === null || value === undefined ? null : Number(value));
  // node-postgres parses json; PGlite may hand it over as text.
  const rows = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : (value ?? [])) as { value: string; count: number }[];
  return {
    reports: Number(summary?.reports ?? 0),
    medianEffortPersonDays: num(summary?.medianEffortPersonDays),
    medianWeeksToGoLive: num(summary?.medianWeeksToGoLive),
    meanRecommendation: num(summary?.meanRecommendation),
    hosting: rows(summary?.hosting).map((r) => ({ value: r.value as HostingKind, count: Number(r.count) })),
    runningCostBand: rows(summary?.runningCostBand).map((r) => ({ value: r.value as CostBand, count: Number(r.count) })),
  };
}
