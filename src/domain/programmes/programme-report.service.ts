import type { Db } from '../../db/client';
import { allowReportMemory, programmeExists, programmeReportRows, type ReportFilter, type ReportRow } from '../../db/queries/programme-report.queries';
import { AppError } from '../../lib/errors';
import { isOpenLicence } from '../../metadata/licence/open-licence';
import { completenessView } from '../transfer/transfer-package.view';

/**
 * What "reuses by other organisations" rests on. 'self-declared' until reuse records carry the
 * producer's confirmation (issue 11 §1); MERGE: switch to 'confirmed' together with COUNTED_REUSE
 * in src/db/queries/programme-report.queries.ts.
 */
export const REUSE_BASIS: 'self-declared' | 'confirmed' = 'confirmed';

export class ProgrammeNotFound extends AppError {
  constructor(programme: string) {
    super(404, 'programme.not-found', 'Not found', `No organisation belongs to the programme "${programme}".`);
  }
}

function softwareLine(row: ReportRow, openLicence: (licence: string | null) => boolean) {
  return {
    id: row.software_id!,
    slug: row.software_slug!,
    name: row.software_name!,
    repositories: row.repository_urls ?? [],
    publiclyReachable: row.publicly_reachable!,
    licence: row.licence,
    openLicence: openLicence(row.licence),
    publiccodeValid: row.publiccode_valid!,
    readme: row.has_readme!,
    lastActivityAt: row.last_activity_at,
    activeLast12Months: row.active_last_12_months!,
    transferPackage: completenessView({ present: row.transfer_present!, applicable: row.transfer_applicable! }),
    reusesByOthers: { production: row.reuses_production!, other: row.reuses_other! },
  };
}

export type ReportSoftware = ReturnType<typeof softwareLine>;

/**
 * The funding-obligation report of a programme (issue 11 §5): per funded organisation its
 * repositories and software and, per software, the obligations met. Computed from the catalogue
 * on every call; the licence verdict is memoised per distinct expression (a few hundred at most).
 */
export async function programmeReport(db: Db, filter: ReportFilter) {
  // A read-only transaction, so the memory setting ends with it.
  const rows = await db.transaction(async (tx) => {
    await allowReportMemory(tx);
    return programmeReportRows(tx, filter);
  });
  if (rows.length === 0 && !(await programmeExists(db, filter.programme))) throw new ProgrammeNotFound(filter.programme);
  const verdicts = new Map<string | null, boolean>();
  const openLicence = (licence: string | null) => {
    let verdict = verdicts.get(licence);
    if (verdict === undefined) verdicts.set(licence, (verdict = isOpenLicence(licence)));
    return verdict;
  };
  const organisations: {
    id: string; slug: string; name: string; kind: string; state: string | null; cohortYear: number | null;
    repositoryCount: number; software: ReportSoftware[];
  }[] = [];
  for (const row of rows) {
    let organisation = organisations.at(-1);
    if (organisation?.id !== row.organisation_id) {
      organisation = {
        id: row.organisation_id, slug: row.organisation_slug, name: row.organisation_name, kind: row.organisation_kind,
        state: row.state, cohortYear: row.cohort_year, repositoryCount: row.repository_count, software: [],
      };
      organisations.push(organisation);
    }
    if (row.software_id !== null) organisation.software.push(softwareLine(row, openLicence));
  }
  const software = organisations.flatMap((o) => o.software);
  const count = (test: (s: ReportSoftware) => boolean) => software.filter(test).length;
  const totals = {
    organisations: organisations.length,
    organisationsWithoutSoftware: organisations.filter((o) => o.software.length === 0).length,
    repositories: organisations.reduce((sum, o) => sum + o.repositoryCount, 0),
    software: software.length,
    publiclyReachable: count((s) => s.publiclyReachable),
    openLicence: count((s) => s.openLicence),
    publiccodeValid: count((s) => s.publiccodeValid),
    readme: count((s) => s.readme),
    activeLast12Months: count((s) => s.activeLast12Months),
    transferPackageMeanCompleteness: software.length ? Math.round((software.reduce((sum, s) => sum + s.transferPackage.completeness, 0) / software.length) * 1000) / 1000 : null,
    softwareReusedByOthers: count((s) => s.reusesByOthers.production + s.reusesByOthers.other > 0),
    reusesByOthers: software.reduce((sum, s) => sum + s.reusesByOthers.production + s.reusesByOthers.other, 0),
  };
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
