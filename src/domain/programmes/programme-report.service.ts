import type { Db } from '../../db/client';
import {
  allowReportMemory,
  programmeExists,
  programmeOrganisations,
  programmeSoftwareLines,
  type ReportFilter,
  type ReportSoftwareRow,
} from '../../db/queries/programme-report.queries';
import { AppError } from '../../lib/errors';
import { isOpenLicence } from '../../metadata/licence/open-licence';
import { completenessView } from '../transfer/transfer-package.view';

/**
 * What "reuses by other organisations" rests on: records the producer confirmed (issue 11 §1), the
 * search document's confirmed counts that programmeSoftwareLines reads.
 */
export const REUSE_BASIS: 'self-declared' | 'confirmed' = 'confirmed';

export class ProgrammeNotFound extends AppError {
  constructor(programme: string) {
    super(404, 'programme.not-found', 'Not found', `No organisation belongs to the programme "${programme}".`);
  }
}

function softwareLine(row: ReportSoftwareRow, openLicence: boolean) {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    repositories: row.repository_urls ?? [],
    publiclyReachable: row.publicly_reachable,
    licence: row.licence,
    openLicence,
    publiccodeValid: row.publiccode_valid,
    readme: row.has_readme,
    lastActivityAt: row.last_activity_at,
    activeLast12Months: row.active_last_12_months,
    transferPackage: completenessView({ present: row.transfer_present, applicable: row.transfer_applicable }),
    reusesByOthers: { production: row.reuses_production, other: row.reuses_other },
  };
}

export type ReportSoftware = ReturnType<typeof softwareLine>;

/**
 * The funding-obligation report of a programme (issue 11 §5): per funded organisation its
 * repositories and software and, per software, the obligations met. Computed from the catalogue
 * on every call; the licence verdict is memoised per distinct expression (a few hundred at most).
 */
export async function programmeReport(db: Db, filter: ReportFilter) {
  // Both statements see one snapshot (an entry added in between is in neither or in both), and
  // the memory setting ends with the transaction.
  const [organisationRows, softwareRows] = await db.transaction(
    async (tx) => {
      await allowReportMemory(tx);
      return [await programmeOrganisations(tx, filter), await programmeSoftwareLines(tx, filter)] as const;
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
  if (organisationRows.length === 0 && !(await programmeExists(db, filter.programme))) throw new ProgrammeNotFound(filter.programme);
  const verdicts = new Map<string | null, boolean>();
  const bySoftwareOwner = new Map<string, ReportSoftware[]>();
  const totals = {
    organisations: organisationRows.length,
    organisationsWithoutSoftware: 0,
    repositories: 0,
    software: softwareRows.length,
    publiclyReachable: 0,
    openLicence: 0,
    publiccodeValid: 0,
    readme: 0,
    activeLast12Months: 0,
    transferPackageMeanCompleteness: null as number | null,
    softwareReusedByOthers: 0,
    reusesByOthers: 0,
  };
  for (const row of softwareRows) {
    let openLicence = verdicts.get(row.licence);
    if (openLicence === undefined) verdicts.set(row.licence, (openLicence = isOpenLicence(row.licence)));
    let lines = bySoftwareOwner.get(row.organisation_id);
    if (!lines) bySoftwareOwner.set(row.organisation_id, (lines = []));
    lines.push(softwareLine(row, openLicence));
  }
  // In the report's order, so the mean's floating-point sum is the same whichever order the rows came in.
  let completenessSum = 0;
  const organisations = organisationRows.map((o) => {
    const software = bySoftwareOwner.get(o.id) ?? [];
    if (software.length === 0) totals.organisationsWithoutSoftware++;
    totals.repositories += o.repository_count;
    for (const line of software) {
      if (line.publiclyReachable) totals.publiclyReachable++;
      if (line.openLicence) totals.openLicence++;
      if (line.publiccodeValid) totals.publiccodeValid++;
      if (line.readme) totals.readme++;
      if (line.activeLast12Months) totals.activeLast12Months++;
      completenessSum += line.transferPackage.completeness;
      const reuses = line.reusesByOthers.production + line.reusesByOthers.other;
      if (reuses > 0) totals.softwareReusedByOthers++;
      totals.reusesByOthers += reuses;
    }
    return {
      id: o.id, slug: o.slug, name: o.name, kind: o.kind, state: o.state, cohortYear: o.cohort_year,
      repositoryCount: o.repository_count, software,
    };
  });
  if (softwareRows.length > 0) totals.transferPackageMeanCompleteness = Math.round((completenessSum / softwareRows.length) * 1000) / 1000;
  return {
    programme: filter.programme,
    filters: { cohort: filter.cohort ?? null, state: filter.state ?? null },
    generatedAt: new Date().toISOString(),
    reuseBasis: REUSE_BASIS,
    totals,
    organisations,
  };
}

export type ProgrammeReport = Awaited<ReturnType<typeof programmeReport>>;
