import type { ProgrammeReport, ReportSoftware } from './programme-report.service';

/**
 * RFC 4180 field: quoted when it holds a separator, quote or line break. A text starting with
 * = + - @ (or a tab/CR) would run as a formula in a spreadsheet (CSV injection, OWASP): names come
 * from organisations, so such a text gets a leading apostrophe, which spreadsheets show as text.
 */
function field(value: string | number | boolean | null): string {
  if (value === null) return '';
  if (typeof value !== 'string') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n;]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const HEADER = [
  'organisation_slug', 'organisation_name', 'organisation_kind', 'state', 'cohort_year', 'repository_count',
  'software_slug', 'software_name', 'repositories', 'publicly_reachable', 'licence', 'open_licence', 'publiccode_valid',
  'readme', 'last_activity_at', 'active_last_12_months', 'transfer_present', 'transfer_applicable', 'transfer_completeness',
  'reuses_by_others_production', 'reuses_by_others_other',
];

function softwareFields(s: ReportSoftware | null) {
  if (!s) return Array(HEADER.length - 6).fill(null);
  return [
    s.slug, s.name, s.repositories.join(' '), s.publiclyReachable, s.licence, s.openLicence, s.publiccodeValid, s.readme,
    s.lastActivityAt, s.activeLast12Months, s.transferPackage.present, s.transferPackage.applicable, s.transferPackage.completeness,
    s.reusesByOthers.production, s.reusesByOthers.other,
  ];
}

/**
 * One line per software entry, one line for each organisation without software (software
 * columns empty), and a last line "total" with the totals (counts of true in the check columns).
 */
export function programmeReportCsv(report: ProgrammeReport): string {
  const lines = [HEADER.join(',')];
  for (const o of report.organisations) {
    const head = [o.slug, o.name, o.kind, o.state, o.cohortYear, o.repositoryCount];
    for (const s of o.software.length ? o.software : [null]) lines.push([...head, ...softwareFields(s)].map(field).join(','));
  }
  const t = report.totals;
  lines.push(
    [
      '', `total (${t.organisations} organisations, ${t.organisationsWithoutSoftware} without software)`, '', '', '', t.repositories,
      '', `${t.software} software`, '', t.publiclyReachable, '', t.openLicence, t.publiccodeValid, t.readme, '', t.activeLast12Months,
      '', '', t.transferPackageMeanCompleteness, '', '',
    ].map(field).join(','),
  );
  return `${lines.join('\r\n')}\r\n`;
}
