import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runLicensecheckCorpus, runLicenseeCorpus } from './conformance/licences.js';
import type { CorpusReport } from './conformance/report.js';
import { runSpdxCorpus } from './conformance/spdx.js';

/**
 * `npm run conformance`: runs every third-party corpus in ../shared/conformance (beside the
 * repository root) and prints agreement, disagreements and throughput. Nothing is copied in.
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const conformanceDir = join(root, '..', 'shared', 'conformance');

/** Written in the publiccode work of the same issue; a computed specifier keeps this runnable before it lands. */
const PUBLICCODE_RUNNER = './conformance/publiccode.js';

async function main(): Promise<void> {
  if (!existsSync(conformanceDir)) {
    console.log(`conformance corpora not found at ${conformanceDir}: skipped`);
    return;
  }
  const reports: CorpusReport[] = [runSpdxCorpus(conformanceDir), runLicenseeCorpus(conformanceDir), runLicensecheckCorpus(conformanceDir)];
  try {
    const { runPubliccodeCorpus } = (await import(PUBLICCODE_RUNNER)) as { runPubliccodeCorpus: (dir: string) => CorpusReport };
    reports.unshift(runPubliccodeCorpus(conformanceDir));
  } catch (error) {
    if ((error as { code?: string }).code !== 'ERR_MODULE_NOT_FOUND') throw error;
    console.log('publiccode corpus runner (bench/conformance/publiccode.ts) not present yet: skipped\n');
  }

  const percent = (value: number | null): string => (value === null ? '-' : `${(value * 100).toFixed(1)} %`);
  console.table(
    reports.map((report) => ({
      corpus: report.corpus,
      cases: report.cases,
      decidable: report.decidable,
      verdict: percent(report.verdictAgreement),
      detail: percent(report.detailAgreement),
      'files/s': Math.round(report.filesPerSecond),
    })),
  );
  for (const report of reports) {
    console.log(`\n## ${report.corpus}: ${report.disagreements.length} disagreements (detail: ${report.detailLabel})`);
    for (const d of report.disagreements) console.log(`  ${d.path}\n    expected ${d.expected}\n    actual   ${d.actual}`);
    for (const note of report.notes) console.log(`  note: ${note}`);
  }
}

await main();
