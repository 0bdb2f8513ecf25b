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
  const [summary] = await db
    .select({
      reports: sql<number>`count(*)::int`,
      medianEffortPersonDays: sql<number | null>`percentile_cont(0.5) WITHIN GROUP (ORDER BY ${experienceReports.effortPersonDays})`,
      medianWeeksToGoLive: sql<number | null>`percentile_cont(0.5) WITHIN GROUP (ORDER BY ${experienceReports.weeksToGoLive})`,
      meanRecommendation: sql<number | null>`round(avg(${experienceReports.recommendation}), 2)::float8`,
    })
    .from(experienceReports)
    .where(visible);
  const distribution = (column: typeof experienceReports.hosting | typeof experienceReports.runningCostBand) =>
    db
      .select({ value: sql<string>`${column}`, count: sql<number>`count(*)::int` })
      .from(experienceReports)
      .where(and(visible, sql`${column} IS NOT NULL`))
      .groupBy(column)
      .orderBy(sql`count(*) DESC`, column);
  const [hosting, costs] = await Promise.all([distribution(experienceReports.hosting), distribution(experienceReports.runningCostBand)]);
  const num = (value: unknown) => (value === null || value === undefined ? null : Number(value));
  return {
    reports: Number(summary?.reports ?? 0),
    medianEffortPersonDays: num(summary?.medianEffortPersonDays),
    medianWeeksToGoLive: num(summary?.medianWeeksToGoLive),
    meanRecommendation: num(summary?.meanRecommendation),
    hosting: hosting.map((r) => ({ value: r.value as HostingKind, count: Number(r.count) })),
    runningCostBand: costs.map((r) => ({ value: r.value as CostBand, count: Number(r.count) })),
  };
}
