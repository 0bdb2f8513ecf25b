import { expect, it } from 'vitest';
import { runLicensecheckCorpus, runLicenseeCorpus } from '../../bench/conformance/licences.js';
import { describeCorpus } from '../helpers/conformance.js';

/**
 * Expected `none`, but the text is, word for word, the SPDX licence MIT-Wu (confidence 1.0):
 * licensecheck has no MIT-Wu template. Reporting the SPDX licence is right for the registry.
 */
const KNOWN_SPDX_LICENCES_UPSTREAM_LACKS = ['licensecheck/MIT.t25'];

describeCorpus('licence corpora (../shared/conformance)', 'licenses/EXPECTED.tsv', (conformanceDir) => {
  it('agrees with licensee on at least 95 % of the projects (bare GNU ids read as -only)', () => {
    expect(runLicenseeCorpus(conformanceDir).detailAgreement).toBeGreaterThanOrEqual(0.95);
  });

  const licensecheck = runLicensecheckCorpus(conformanceDir);

  it('reports no licence for a licensecheck text expected to have none (modified or broken licences)', () => {
    const reported = licensecheck.disagreements.filter(
      (d) => d.expected === 'none' && !KNOWN_SPDX_LICENCES_UPSTREAM_LACKS.includes(d.path),
    );
    expect(reported).toEqual([]);
  });

  it('agrees with licensecheck on the set of ids for at least 95 % of the files (-only/-or-later not counted against)', () => {
    // 295 of 310 measured; the floor keeps the figure of issue 9 from regressing.
    expect(licensecheck.detailAgreement).toBeGreaterThanOrEqual(0.95);
  });
});
