import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../client';
import { jsonItem, listRead, queryBuilder, softwareIdParam, type JsonRead } from '../json-read';
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

const visibleOf = (softwareId: string | typeof softwareIdParam) => and(eq(experienceReports.softwareId, softwareId), isNull(experienceReports.hiddenAt));

export type ExperienceReportWithOrganisation = { report: typeof experienceReports.$inferSelect; organisation: { id: string; slug: string; name: string } };

/** The public reports of one software entry, newest first (hidden ones left out); placeholder softwareId. */
export const experienceReportsRead: JsonRead<ExperienceReportWithOrganisation[]> = listRead(
    withOrganisation,
    queryBuilder
      .select(jsonItem(withOrganisation, desc(experienceReports.createdAt), desc(experienceReports.id)))
      .from(experienceReports)
      .innerJoin(organisations, eq(organisations.id, experienceReports.organisationId))
      .where(visibleOf(softwareIdParam)),
  );

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

/**
 * The read model of GET /v1/software/{id}/experience, computed over the public reports on each
 * read, as one JSON value (the software page reads it with its other lists): the
 * figures, and each distribution as an array ordered most first, counted over the same rows.
 */
export const experienceAggregatesRead: JsonRead<ExperienceAggregates> = (() => {
  const visible = visibleOf(softwareIdParam);
  const distribution = (column: typeof experienceReports.hosting | typeof experienceReports.runningCostBand) => sql`(
    SELECT coalesce(json_agg(json_build_object('value', d.value, 'count', d.count) ORDER BY d.count DESC, d.value), '[]'::json)
    FROM (SELECT ${column} AS value, count(*)::int AS count FROM ${experienceReports} WHERE ${visible} AND ${column} IS NOT NULL GROUP BY ${column}) d
  )`;
  const json = sql`(SELECT json_build_object(
      'reports', count(*)::int,
      'medianEffortPersonDays', percentile_cont(0.5) WITHIN GROUP (ORDER BY ${experienceReports.effortPersonDays}),
      'medianWeeksToGoLive', percentile_cont(0.5) WITHIN GROUP (ORDER BY ${experienceReports.weeksToGoLive}),
      'meanRecommendation', round(avg(${experienceReports.recommendation}), 2)::float8,
      'hosting', ${distribution(experienceReports.hosting)},
      'runningCostBand', ${distribution(experienceReports.runningCostBand)})
    FROM ${experienceReports} WHERE ${visible})`;
  const num = (value: unknown) => (value === null || value === undefined ? null : Number(value));
  type Summary = { reports: number; medianEffortPersonDays: unknown; medianWeeksToGoLive: unknown; meanRecommendation: unknown; hosting: { value: string; count: number }[]; runningCostBand: { value: string; count: number }[] };
  return {
    json,
    map: (value) => {
      const summary = value as Summary;
      return {
        reports: Number(summary.reports),
        medianEffortPersonDays: num(summary.medianEffortPersonDays),
        medianWeeksToGoLive: num(summary.medianWeeksToGoLive),
        meanRecommendation: num(summary.meanRecommendation),
        hosting: summary.hosting.map((r) => ({ value: r.value as HostingKind, count: Number(r.count) })),
        runningCostBand: summary.runningCostBand.map((r) => ({ value: r.value as CostBand, count: Number(r.count) })),
      };
    },
  };
})();
