import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { checkSpdxExpression, parseSpdxExpression } from '../../src/metadata/spdx/spdx-expression.js';
import type { CorpusReport } from './report.js';

type SpdxCase = { expression: string; verdict: string; normalised: string; structure: string; source: string };

/**
 * Why some go-spdx rows disagree on purpose: our profile is spdx-expression-parse's syntax
 * plus case-insensitive ids (see checkSpdxExpression). Keyed by the expression itself.
 */
export const KNOWN_GO_SPDX_DIFFERENCES: Record<string, string> = {
  '  MIT \t':
    'go-spdx Satisfies() trims tabs; we follow spdx-expression-parse, which rejects a tab (its own rows `MIT\\t` and `\\nMIT`)',
  'GPL-2.0+':
    'go-spdx ExtractLicenses rewrites GPL-2.0+ to GPL-2.0-or-later; we keep the expression as written (normalised GPL-2.0+) and offer GPL-2.0-or-later as the suggestion for the deprecated id',
};

/** Expressions per second over the corpus, checked this many times so the figure is not noise. */
const TIMING_ROUNDS = 20;

export function runSpdxCorpus(conformanceDir: string): CorpusReport {
  const cases = readCases(join(conformanceDir, 'spdx-expressions', 'cases.tsv'));
  const disagreements: CorpusReport['disagreements'] = [];
  let verdictAgree = 0;
  let detailCases = 0;
  let detailAgree = 0;
  const notes = new Set<string>();
  const explain = (row: SpdxCase): void => {
    const why = KNOWN_GO_SPDX_DIFFERENCES[row.expression];
    if (why !== undefined) notes.add(`${JSON.stringify(row.expression)}: ${why}`);
  };

  for (const row of cases) {
    const check = checkSpdxExpression(row.expression);
    const label = `${row.source.split(' ')[0]}: ${JSON.stringify(row.expression)}`;
    const expectedValid = row.verdict === 'valid';
    if (check.valid === expectedValid) verdictAgree += 1;
    else {
      disagreements.push({ path: label, expected: row.verdict, actual: check.valid ? 'valid' : `invalid (${check.error})` });
      explain(row);
    }

    const detail = expectedDetail(row);
    if (detail === null) continue;
    detailCases += 1;
    const actual = detail.kind === 'normalised' ? check.normalised : JSON.stringify(parseSpdxExpression(row.expression));
    const agrees =
      detail.kind === 'normalised'
        ? actual === detail.value
        : actual !== undefined && isDeepStrictEqual(JSON.parse(actual ?? 'null'), JSON.parse(detail.value));
    if (agrees) detailAgree += 1;
    else {
      disagreements.push({ path: `${label} (${detail.kind})`, expected: detail.value, actual: String(actual) });
      explain(row);
    }
  }

  const started = performance.now();
  for (let round = 0; round < TIMING_ROUNDS; round += 1) for (const row of cases) checkSpdxExpression(row.expression);
  const seconds = (performance.now() - started) / 1000;

  return {
    corpus: 'spdx-expressions',
    cases: cases.length,
    decidable: cases.length,
    verdictAgreement: verdictAgree / cases.length,
    detailAgreement: detailCases === 0 ? null : detailAgree / detailCases,
    detailLabel: 'normalised form (go-spdx, spec) and AST (spdx-expression-parse) where stated',
    disagreements,
    filesPerSecond: (cases.length * TIMING_ROUNDS) / seconds,
    notes: [...notes],
  };
}

/** spdx-expression-parse ASTs are compared as JSON; go-spdx tree strings are not comparable. */
function expectedDetail(row: SpdxCase): { kind: 'normalised' | 'structure'; value: string } | null {
  if (row.normalised !== '-') return { kind: 'normalised', value: row.normalised };
  if (row.source.startsWith('spdx-expression-parse') && row.structure.startsWith('{')) {
    return { kind: 'structure', value: row.structure };
  }
  return null;
}

function readCases(file: string): SpdxCase[] {
  const [, ...lines] = readFileSync(file, 'utf8').split('\n');
  return lines
    .filter((line) => line.includes('\t'))
    .map((line) => {
      const [expression = '', verdict = '', normalised = '', structure = '', source = ''] = line.split('\t');
      return { expression: unescape(expression), verdict, normalised: unescape(normalised), structure, source };
    });
}

/** cases.tsv writes a tab as `\t`, a newline as `\n` and a backslash as `\\`. */
function unescape(field: string): string {
  return field.replace(/\\([tn\\])/g, (_, c: string) => (c === 't' ? '\t' : c === 'n' ? '\n' : '\\'));
}
