import type { Db } from '../../db/client';
import {
  answerExperienceReport,
  experienceAggregatesRead,
  experienceReportsRead,
  findExperienceReport,
  insertExperienceReport,
  updateExperienceReport,
} from '../../db/queries/experience-reports.queries';
import { mapRead, readOne, readsAsOne } from '../../db/json-read';
import type { CostBand, HostingKind } from '../../db/schema/experience-reports';
import { NotFound } from '../../lib/errors';
import { refused } from '../../lib/refusals';
import { isUuid } from '../../lib/slug';
import { audit } from '../audit/audit';
import { isAdmin, requireAdmin, requirePrincipal, requireScopeFor, type Principal } from '../auth/principal';
import { getSoftwareRow, softwareOf, type SoftwareRef } from '../catalogue/software-lookup';
import { recordEvent } from '../webhooks/events';
import { renderReportMarkdown } from './markdown';
import { reuseOf } from './reuse.service';

export type ExperienceReportInput = {
  effortPersonDays?: number | null;
  weeksToGoLive?: number | null;
  runningCostBand?: CostBand | null;
  hosting?: HostingKind | null;
  adaptations?: string | null;
  whatWorked?: string | null;
  whatDidNotWork?: string | null;
  recommendation: number;
  version?: string | null;
  contact?: string | null;
  /** The contact is shown only when the author opts in. */
  showContact?: boolean;
};

type Row = NonNullable<Awaited<ReturnType<typeof findExperienceReport>>>;

function reportView({ report, organisation }: Row) {
  return {
    id: report.id,
    reuseId: report.reuseId,
    organisation,
    effortPersonDays: report.effortPersonDays,
    weeksToGoLive: report.weeksToGoLive,
    runningCostBand: report.runningCostBand,
    hosting: report.hosting,
    adaptations: report.adaptations,
    whatWorked: report.whatWorkedMarkdown === null ? null : { markdown: report.whatWorkedMarkdown, html: report.whatWorkedHtml },
    whatDidNotWork: report.whatDidNotWorkMarkdown === null ? null : { markdown: report.whatDidNotWorkMarkdown, html: report.whatDidNotWorkHtml },
    recommendation: report.recommendation,
    version: report.version,
    // Never shown without the author's consent, whatever else the record holds.
    contact: report.contactPublic ? report.contact : null,
    answer:
      report.answerMarkdown === null
        ? null
        : { markdown: report.answerMarkdown, html: report.answerHtml, at: report.answeredAt?.toISOString() ?? null },
    createdAt: report.createdAt.toISOString(),
  };
}

/** Writes a report on a reuse record: the reusing organisation's reuse token (or the admin). */
export async function writeExperienceReport(db: Db, principal: Principal | null, input: { software: string; reuseId: string; report: ExperienceReportInput }) {
  const reuse = await reuseOf(db, input.software, input.reuseId);
  const caller = requirePrincipal(principal);
  if (caller.kind === 'token' && caller.organisationId === reuse.software.organisationId && caller.organisationId !== reuse.organisation.id) {
    throw refused(403, 'experience_report.not_reuser', 'Only the reusing organisation writes experience reports on its reuse; the producer may answer them.');
  }
  const who = requireScopeFor(principal, 'reuse', reuse.organisation.id);
  if (reuse.reuse.withdrawnAt !== null) throw refused(409, 'reuse.withdrawn', 'This reuse record was withdrawn; record the reuse again to report on it.');
  const r = input.report;
  return db.transaction(async (tx) => {
    const { id } = await insertExperienceReport(tx, {
      reuseId: reuse.reuse.id,
      softwareId: reuse.software.id,
      organisationId: reuse.organisation.id,
      effortPersonDays: r.effortPersonDays ?? null,
      weeksToGoLive: r.weeksToGoLive ?? null,
      runningCostBand: r.runningCostBand ?? null,
      hosting: r.hosting ?? null,
      adaptations: r.adaptations ?? null,
      whatWorkedMarkdown: r.whatWorked ?? null,
      whatWorkedHtml: renderReportMarkdown(r.whatWorked),
      whatDidNotWorkMarkdown: r.whatDidNotWork ?? null,
      whatDidNotWorkHtml: renderReportMarkdown(r.whatDidNotWork),
      recommendation: r.recommendation,
      version: r.version ?? null,
      contact: r.contact ?? null,
      contactPublic: Boolean(r.contact) && r.showContact === true,
    });
    await audit(tx, who, { action: 'experience_report.write', entityType: 'experience_report', entityId: id, detail: { reuseId: reuse.reuse.id } });
    const view = reportView((await findExperienceReport(tx, id))!);
    // To the producer: someone wrote how running its software went (it may answer once).
    await recordEvent(tx, { type: 'experience.reported', organisationId: reuse.software.organisationId, softwareId: reuse.software.id, data: { report: view } });
    return view;
  });
}

async function reportOf(db: Db, softwareIdOrSlug: string, reportId: string) {
  const software = await getSoftwareRow(db, softwareIdOrSlug);
  const row = isUuid(reportId) ? await findExperienceReport(db, reportId.toLowerCase()) : null;
  if (!row || row.report.softwareId !== software.id) throw new NotFound('Experience report', reportId);
  return { software, row };
}

/** The producer answers a report once: an answer, not an edit of the report. */
export async function answerReport(db: Db, principal: Principal | null, input: { software: string; reportId: string; answer: string }) {
  const { software, row } = await reportOf(db, input.software, input.reportId);
  const who = requireScopeFor(principal, 'publish', software.organisationId);
  if (row.report.hiddenAt !== null) throw refused(409, 'experience_report.hidden', 'This report is hidden; it takes no answer.');
  return db.transaction(async (tx) => {
    const answered = await answerExperienceReport(tx, row.report.id, {
      answerMarkdown: input.answer,
      answerHtml: renderReportMarkdown(input.answer),
      answeredBy: isAdmin(who) ? 'admin' : 'producer',
    });
    if (!answered) throw refused(409, 'experience_report.already_answered', 'The producer has answered this report already; an answer is given once.');
    await audit(tx, who, { action: 'experience_report.answer', entityType: 'experience_report', entityId: row.report.id });
    return reportView((await findExperienceReport(tx, row.report.id))!);
  });
}

/** The admin hides an abusive report; the reason goes to the audit log and the report leaves lists and aggregates. */
export async function hideReport(db: Db, principal: Principal | null, input: { software: string; reportId: string; reason: string }) {
  const { row } = await reportOf(db, input.software, input.reportId);
  const who = requireAdmin(principal);
  if (row.report.hiddenAt !== null) throw refused(409, 'experience_report.already_hidden', 'This report is hidden already.');
  await db.transaction(async (tx) => {
    await updateExperienceReport(tx, row.report.id, { hiddenAt: new Date(), hiddenReason: input.reason });
    await audit(tx, who, { action: 'experience_report.hide', entityType: 'experience_report', entityId: row.report.id, detail: { reason: input.reason } });
  });
}

/**
 * The way back from a hide (a mistaken or disputed moderation): the admin unhides with a reason,
 * kept in the audit log beside the hide's; the report returns to lists, aggregates and search.
 */
export async function unhideReport(db: Db, principal: Principal | null, input: { software: string; reportId: string; reason: string }) {
  const { row } = await reportOf(db, input.software, input.reportId);
  const who = requireAdmin(principal);
  if (row.report.hiddenAt === null) throw refused(409, 'experience_report.not_hidden', 'This report is not hidden.');
  await db.transaction(async (tx) => {
    await updateExperienceReport(tx, row.report.id, { hiddenAt: null, hiddenReason: null });
    await audit(tx, who, {
      action: 'experience_report.unhide',
      entityType: 'experience_report',
      entityId: row.report.id,
      detail: { reason: input.reason, hiddenReason: row.report.hiddenReason },
    });
  });
}

/** Reports and their aggregates for one software entry (GET /v1/software/{id}/experience). */
export async function softwareExperience(db: Db, ref: SoftwareRef) {
  return readOne(db, softwareExperienceRead, { softwareId: (await softwareOf(db, ref)).id });
}

/** The same answer as one read (one statement, placeholder softwareId), which the software page sends with its other lists. */
export const softwareExperienceRead = mapRead(readsAsOne({ aggregates: experienceAggregatesRead, items: experienceReportsRead }), ({ aggregates, items }) => ({
  aggregates,
  items: items.map(reportView),
}));
