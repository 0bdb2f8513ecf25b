import type { Db } from '../../db/client';
import {
  allowReportMemory,
  programmeExists,
  programmeReportLicences,
  programmeReportParts,
  type ReportFilter,
} from '../../db/queries/programme-report.queries';
import { AppError } from '../../lib/errors';
import { isOpenLicence } from '../../metadata/licence/open-licence';

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

/** One software entry of the report, as the statement builds it (keys in this order). */
export type ReportSoftware = {
  id: string;
  slug: string;
  name: string;
  repositories: string[];
  publiclyReachable: boolean;
  licence: string | null;
  openLicence: boolean;
  publiccodeValid: boolean;
  readme: boolean;
  lastActivityAt: string | null;
  activeLast12Months: boolean;
  transferPackage: { present: number; applicable: number; completeness: number };
  reusesByOthers: { production: number; other: number };
};

export type ReportOrganisation = {
  id: string;
  slug: string;
  name: string;
  kind: string;
  state: string | null;
  cohortYear: number | null;
  repositoryCount: number;
  software: ReportSoftware[];
};

export type ProgrammeReport = {
  programme: string;
  filters: { cohort: number | null; state: string | null };
  generatedAt: string;
  reuseBasis: 'self-declared' | 'confirmed';
  totals: {
    organisations: number;
    organisationsWithoutSoftware: number;
    repositories: number;
    software: number;
    publiclyReachable: number;
    openLicence: number;
    publiccodeValid: number;
    readme: number;
    activeLast12Months: number;
    transferPackageMeanCompleteness: number | null;
    softwareReusedByOthers: number;
    reusesByOthers: number;
  };
  organisations: ReportOrganisation[];
};

/**
 * The funding-obligation report of a programme (issue 11 §5) as JSON text: per funded
 * organisation its repositories and software and, per software, the obligations met. Computed
 * from the catalogue on every call. The organisations come as text from the statement; the head
 * and the totals are serialised here, so the whole is what JSON.stringify gives for a
 * ProgrammeReport. The licence verdict is taken once per distinct expression (a few hundred at
 * most) and handed to the statement.
 */
export async function programmeReportJson(db: Db, filter: ReportFilter): Promise<string> {
  // A read-only transaction, so the memory setting ends with it.
  const parts = await db.transaction(async (tx) => {
    await allowReportMemory(tx);
    const licences = await programmeReportLicences(tx, filter);
    const open = licences.filter((licence): licence is string => licence !== null && isOpenLicence(licence));
    return programmeReportParts(tx, filter, open);
  });
  if (parts.organisation_count === 0 && !(await programmeExists(db, filter.programme))) throw new ProgrammeNotFound(filter.programme);
  const software = Number(parts.software);
  const head: Omit<ProgrammeReport, 'organisations'> = {
    programme: filter.programme,
    filters: { cohort: filter.cohort ?? null, state: filter.state ?? null },
    generatedAt: new Date().toISOString(),
    reuseBasis: REUSE_BASIS,
    totals: {
      organisations: Number(parts.organisation_count),
      organisationsWithoutSoftware: Number(parts.organisations_without_software),
      repositories: Number(parts.repositories),
      software,
      publiclyReachable: Number(parts.publicly_reachable),
      openLicence: Number(parts.open_licence),
      publiccodeValid: Number(parts.publiccode_valid),
      readme: Number(parts.readme),
      activeLast12Months: Number(parts.active_last_12_months),
      transferPackageMeanCompleteness: software ? Math.round((Number(parts.completeness_sum) / software) * 1000) / 1000 : null,
      softwareReusedByOthers: Number(parts.software_reused_by_others),
      reusesByOthers: Number(parts.reuses_by_others),
    },
  };
  return `${JSON.stringify(head).slice(0, -1)},"organisations":[${parts.organisations}]}`;
}

/** The report as objects (for the CSV): the JSON text parsed, several times cheaper than reading the same data as rows. */
export async function programmeReport(db: Db, filter: ReportFilter): Promise<ProgrammeReport> {
  return JSON.parse(await programmeReportJson(db, filter)) as ProgrammeReport;
}
