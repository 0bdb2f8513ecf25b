import { textChunks } from '../../lib/text-chunks';
import type { ProgrammeReport } from './programme-report.service';

/**
 * RFC 4180 field: quoted when it holds a separator, quote or line break. A text starting with
 * = + - @ (or a tab/CR) would run as a formula in a spreadsheet (CSV injection, OWASP): names come
 * from organisations, so such a text gets a leading apostrophe, which spreadsheets show as text.
 */
function text(value: string | null): string {
  if (value === null) return '';
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n;]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Numbers and booleans as they print (true/false); they need neither quoting nor the formula guard. */
function field(value: string | number | boolean | null): string {
  return typeof value === 'string' || value === null ? text(value) : String(value);
}

const HEADER = [
  'organisation_slug', 'organisation_name', 'organisation_kind', 'state', 'cohort_year', 'repository_count',
  'software_slug', 'software_name', 'repositories', 'publicly_reachable', 'licence', 'open_licence', 'publiccode_valid',
  'readme', 'last_activity_at', 'active_last_12_months', 'transfer_present', 'transfer_applicable', 'transfer_completeness',
  'reuses_by_others_production', 'reuses_by_others_other',
];
/** The software columns of an organisation without software. */
const NO_SOFTWARE = ','.repeat(HEADER.length - 6);

/**
 * One line per software entry, one line for each organisation without software (software
 * columns empty), and a last line "total" with the totals (counts of true in the check columns).
 * Lines are written as text directly (the organisation's columns once per organisation), in
 * chunks for a streamed response.
 */
function* lines(report: ProgrammeReport): Generator<string> {
  yield `${HEADER.join(',')}\r\n`;
  for (const o of report.organisations) {
    const head = `${text(o.slug)},${text(o.name)},${text(o.kind)},${text(o.state)},${field(o.cohortYear)},${o.repositoryCount}`;
    if (o.software.length === 0) yield `${head}${NO_SOFTWARE}\r\n`;
    for (const s of o.software) {
      const t = s.transferPackage;
      yield `${head},${text(s.slug)},${text(s.name)},${text(s.repositories.join(' '))},${s.publiclyReachable},${text(s.licence)},` +
        `${s.openLicence},${s.publiccodeValid},${s.readme},${text(s.lastActivityAt)},${s.activeLast12Months},` +
        `${t.present},${t.applicable},${t.completeness},${s.reusesByOthers.production},${s.reusesByOthers.other}\r\n`;
    }
  }
  const t = report.totals;
  yield `${[
    '', `total (${t.organisations} organisations, ${t.organisationsWithoutSoftware} without software)`, '', '', '', t.repositories,
    '', `${t.software} software`, '', t.publiclyReachable, '', t.openLicence, t.publiccodeValid, t.readme, '', t.activeLast12Months,
    '', '', t.transferPackageMeanCompleteness, '', '',
  ].map(field).join(',')}\r\n`;
}

export function programmeReportCsv(report: ProgrammeReport): Generator<string> {
  return textChunks(lines(report));
}
