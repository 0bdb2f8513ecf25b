import { expect, it } from 'vitest';
import { runPubliccodeCorpus } from '../../bench/conformance/publiccode.js';
import { describeCorpus } from '../helpers/conformance.js';

describeCorpus('publiccode-parser-go corpus (../shared/conformance/publiccode)', 'publiccode/EXPECTED.tsv', (conformanceDir) => {
  const report = runPubliccodeCorpus(conformanceDir);

  it('reads every stated row of EXPECTED.tsv and EXPECTED.extra.tsv', () => {
    expect(report!.cases).toBe(336);
    // 7 rows are `unknown` upstream; 2 network rows only fail on network checks.
    expect(report!.decidable).toBe(327);
  });

  it('agrees with the reference on every verdict that does not need the network', () => {
    expect(report!.disagreements.filter((d) => !d.expected.startsWith(d.actual.split(' ')[0]!))).toEqual([]);
    expect(report!.verdictAgreement).toBe(1);
  });

  it('reports the same error keys as the reference on at least 95 % of the rows', () => {
    expect(report!.detailAgreement).toBeGreaterThanOrEqual(0.95);
  });
});
