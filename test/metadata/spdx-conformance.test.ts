import { expect, it } from 'vitest';
import { KNOWN_GO_SPDX_DIFFERENCES, runSpdxCorpus } from '../../bench/conformance/spdx.js';
import { describeCorpus } from '../helpers/conformance.js';

describeCorpus('SPDX expression corpus (../shared/conformance)', 'spdx-expressions/cases.tsv', (conformanceDir) => {
  const report = runSpdxCorpus(conformanceDir);

  it('agrees with every spdx-expression-parse row, verdict and AST', () => {
    expect(report.disagreements.filter((d) => d.path.startsWith('spdx-expression-parse'))).toEqual([]);
  });

  it('agrees with every SPDX specification row', () => {
    expect(report.disagreements.filter((d) => d.path.startsWith('SPDX'))).toEqual([]);
  });

  it('differs from go-spdx only where our profile says so', () => {
    const unexplained = report.disagreements.filter(
      (d) => !Object.keys(KNOWN_GO_SPDX_DIFFERENCES).some((expression) => d.path.startsWith(`go-spdx: ${JSON.stringify(expression)}`)),
    );
    expect(unexplained).toEqual([]);
    expect(report.verdictAgreement).toBeGreaterThanOrEqual(0.99);
  });
});
