import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { detectLicenceInProject } from '../../src/metadata/licence/detect-licence-project.js';
import { detectLicenceInText } from '../../src/metadata/licence/detect-licence-text.js';
import { canonicalLicenseId } from '../../src/metadata/spdx/spdx-ids.js';
import { licenceCorpus } from '../../src/metadata/licence/licence-corpus.js';
import type { CorpusReport } from './report.js';

type LicenceCase = { path: string; scope: string; expected: string; note: string };

/**
 * Comparison rule for GNU ids. Upstream reports the deprecated bare id (GPL-2.0, LGPL-2.1,
 * AGPL-3.0, GFDL-1.3 …) for a bare full text; the registry reports `-only` for the same
 * evidence (GNU_FULL_TEXT_POLICY). So an expected bare GNU id agrees with our `<id>-only`, and
 * with nothing else: reporting `-or-later` for a bare text would be a disagreement.
 */
export function expectedUnderOurPolicy(id: string): string {
  return /^(A?GPL|LGPL|GFDL)-\d\.\d$/.test(id) ? `${id}-only` : id;
}

/**
 * licensecheck's own names for texts or expressions the SPDX list names otherwise (EXPECTED.tsv
 * marks them "not SPDX ids"), compared with what the registry reports for the same evidence:
 * MIT-NoAd is word for word SPDX's X11-swapped; GPL-2.0-or-3.0 ("either version 2 or (at your
 * option) version 3") is the SPDX expression below; the Commons Clause and Google's patent grant
 * are not on the SPDX list and are reported as LicenseRef ids (match-notices.ts).
 */
const LICENSECHECK_NAMES: Record<string, string> = {
  'MIT-NoAd': 'X11-swapped',
  'GPL-2.0-or-3.0': 'GPL-2.0-only OR GPL-3.0-only',
  CommonsClause: 'LicenseRef-Commons-Clause',
  GooglePatentClause: 'LicenseRef-Google-Patent-Grant',
};

/** GPL-3.0-only and GPL-3.0-or-later are one text: the "or later" lives in a notice licensecheck does not weigh. */
const withoutGnuSuffix = (id: string): string => id.replace(/-(?:only|or-later)\b/g, '');

export function readLicenceCases(conformanceDir: string): LicenceCase[] {
  const [, ...lines] = readFileSync(join(conformanceDir, 'licenses', 'EXPECTED.tsv'), 'utf8').split('\n');
  return lines
    .filter((line) => line.includes('\t'))
    .map((line) => {
      const [path = '', scope = '', expected = '', , , note = ''] = line.split('\t');
      return { path, scope, expected, note };
    });
}

export function runLicensecheckCorpus(conformanceDir: string): CorpusReport {
  const cases = readLicenceCases(conformanceDir).filter((row) => row.scope === 'file');
  const texts = cases.map((row) => readFileSync(join(conformanceDir, 'licenses', row.path)));
  licenceCorpus(); // built once, outside the timing
  const disagreements: CorpusReport['disagreements'] = [];
  let exact = 0;
  let strict = 0;
  let verdict = 0;
  const results = texts.map((bytes) => detectLicenceInText(bytes));
  const filesPerSecond = measureSpeed(texts);
  cases.forEach((row, index) => {
    const actual = [...new Set(results[index]!.matches.map((match) => match.spdx))];
    const expected = row.expected === 'none' ? [] : row.expected.split(',').map((id) => LICENSECHECK_NAMES[id] ?? expectedUnderOurPolicy(id));
    const sameSet = (a: string[], b: string[]): boolean => {
      const [x, y] = [new Set(a), new Set(b)];
      return x.size === y.size && [...x].every((id) => y.has(id));
    };
    if (sameSet(actual, expected)) strict += 1;
    const same = sameSet(actual.map(withoutGnuSuffix), expected.map(withoutGnuSuffix));
    if (same) exact += 1;
    if ((actual.length === 0) === (expected.length === 0)) verdict += 1;
    if (!same) {
      disagreements.push({ path: row.path, expected: expected.join(',') || 'none', actual: actual.join(',') || 'none' });
    }
  });
  const falseOnNone = disagreements.filter((d) => d.expected === 'none');
  return {
    corpus: 'licensecheck (file scope)',
    cases: cases.length,
    decidable: cases.length,
    verdictAgreement: verdict / cases.length,
    detailAgreement: exact / cases.length,
    detailLabel: 'same set of SPDX ids, -only/-or-later not counted against (licensecheck names in LICENSECHECK_NAMES mapped)',
    disagreements,
    filesPerSecond,
    notes: [
      `licences reported for cases expected none: ${falseOnNone.length} (${falseOnNone.map((d) => `${d.path}: ${d.actual}`).join('; ') || '-'})`,
      `exact set of ids, bare GNU ids compared as -only: ${strict}/${cases.length} (${((strict / cases.length) * 100).toFixed(1)} %)`,
      'files per second: whole corpus after one warm-up pass, per second of CPU time on one thread',
    ],
  };
}

/**
 * Whole-corpus passes after the one that gave the results, for at least half a second of CPU
 * time. CPU time, not wall time, as for publiccode: detection is single-threaded, and on a
 * machine busy with other work the wall clock would measure the neighbours.
 */
function measureSpeed(texts: Buffer[]): number {
  const start = process.cpuUsage();
  const spent = (): number => {
    const used = process.cpuUsage(start);
    return (used.user + used.system) / 1e6;
  };
  let files = 0;
  while (spent() < 0.5) {
    for (const bytes of texts) detectLicenceInText(bytes);
    files += texts.length;
  }
  return files / spent();
}

/**
 * Comparison rules for licensee (project scope):
 * - bare GNU ids compare as `-only` (expectedUnderOurPolicy);
 * - `none` (no licence information at all) agrees with our NOASSERTION when no file gave evidence;
 * - for a REUSE `LICENSES/` folder with several licences upstream says NOASSERTION and lists
 *   them in the note; our rule (their AND) agrees when it names exactly the listed licences.
 */
export function runLicenseeCorpus(conformanceDir: string): CorpusReport {
  const cases = readLicenceCases(conformanceDir).filter((row) => row.scope === 'project');
  licenceCorpus();
  const started = performance.now();
  const results = cases.map((row) => detectLicenceInProject(join(conformanceDir, 'licenses', row.path)));
  const seconds = (performance.now() - started) / 1000;
  const disagreements: CorpusReport['disagreements'] = [];
  let verdict = 0;
  let exact = 0;
  cases.forEach((row, index) => {
    const result = results[index]!;
    const expected = expectedUnderOurPolicy(row.expected);
    let same = result.spdx === expected;
    if (expected === 'none') same = result.spdx === 'NOASSERTION' && result.files.length === 0;
    if (!same && expected === 'NOASSERTION' && result.reason.startsWith('REUSE')) {
      const listed = /all licences \[([^\]]+)\]/.exec(row.note)?.[1]?.split(',').map((key) => canonicalLicenseId(key.trim()) ?? key);
      const ours = result.spdx.split(' AND ');
      same = listed !== undefined && listed.length === ours.length && listed.every((id) => ours.includes(id));
    }
    const isLicence = (spdx: string): boolean => spdx !== 'NOASSERTION' && spdx !== 'NONE';
    if (isLicence(result.spdx) === isLicence(expected === 'none' ? 'NOASSERTION' : expected)) verdict += 1;
    if (same) exact += 1;
    else disagreements.push({ path: row.path, expected, actual: `${result.spdx} (${result.reason})` });
  });
  return {
    corpus: 'licensee (project scope)',
    cases: cases.length,
    decidable: cases.length,
    verdictAgreement: verdict / cases.length,
    detailAgreement: exact / cases.length,
    detailLabel: 'project licence (bare GNU ids as -only; REUSE folders as AND)',
    disagreements,
    filesPerSecond: cases.length / seconds,
    notes: ['files per second here are project folders per second'],
  };
}
