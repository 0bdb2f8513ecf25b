import { describe, expect, it } from 'vitest';
import { checkSpdxExpression } from '../../src/metadata/spdx/spdx-expression.js';
import { canonicalLicenseId, isDeprecatedLicenseId, isKnownLicenseId } from '../../src/metadata/spdx/spdx-ids.js';

describe('checkSpdxExpression', () => {
  it('accepts licence ids in any case and reports them in SPDX case', () => {
    expect(checkSpdxExpression('mit')).toMatchObject({ valid: true, normalised: 'MIT' });
    expect(checkSpdxExpression('gpl-2.0-or-later WITH bison-exception-2.2').normalised).toBe(
      'GPL-2.0-or-later WITH Bison-exception-2.2',
    );
  });

  it('writes operators in upper case with only the parentheses precedence needs', () => {
    expect(checkSpdxExpression('(mit and apache-2.0) or isc').normalised).toBe('MIT AND Apache-2.0 OR ISC');
    expect(checkSpdxExpression('MIT and (Apache-2.0 or ISC)').normalised).toBe('MIT AND (Apache-2.0 OR ISC)');
  });

  it('keeps the LicenseRef- prefix case-sensitive', () => {
    expect(checkSpdxExpression('LicenseRef-Name').valid).toBe(true);
    expect(checkSpdxExpression('licenseref-name').valid).toBe(false);
  });

  it('lists deprecated ids and suggests their current form', () => {
    const check = checkSpdxExpression('GPL-2.0+ OR MIT');
    expect(check).toMatchObject({ valid: true, normalised: 'GPL-2.0+ OR MIT', deprecated: ['GPL-2.0'] });
    expect(check.suggestion).toBe('GPL-2.0-or-later OR MIT');
  });

  it('names the unknown id and suggests a near miss', () => {
    const check = checkSpdxExpression('Apache 2');
    expect(check.valid).toBe(false);
    expect(check.error).toContain("'Apache'");
    expect(check.suggestion).toBe('Apache-2.0');
  });

  it('rejects an empty expression, a tab and a space before +', () => {
    expect(checkSpdxExpression('  ').valid).toBe(false);
    expect(checkSpdxExpression('MIT\t').valid).toBe(false);
    expect(checkSpdxExpression('MIT +').valid).toBe(false);
  });
});

describe('checkSpdxExpression on unfinished input', () => {
  it('explains an expression that ends after an operator or an open parenthesis in words, not with a library error', () => {
    for (const expression of ['MIT OR', 'MIT AND (']) {
      const check = checkSpdxExpression(expression);
      expect(check.valid).toBe(false);
      expect(check.error).toMatch(/^incomplete expression/);
    }
  });
});

describe('SPDX id helpers', () => {
  it('know current and deprecated ids case-insensitively', () => {
    expect(isKnownLicenseId('eupl-1.2')).toBe(true);
    expect(canonicalLicenseId('eupl-1.2')).toBe('EUPL-1.2');
    expect(isDeprecatedLicenseId('GPL-3.0')).toBe(true);
    expect(isDeprecatedLicenseId('GPL-3.0-only')).toBe(false);
    expect(canonicalLicenseId('not-a-licence')).toBeNull();
  });
});
