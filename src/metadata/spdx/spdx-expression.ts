import parse from 'spdx-expression-parse';

export type SpdxCheck = {
  valid: boolean;
  /** Canonical form when valid (ids in their SPDX case, operators upper-case). */
  normalised: string | null;
  error: string | null;
  deprecated: string[];
  suggestion: string | null;
};

/**
 * First cut, refined by the SPDX work of the metadata issue: validity only through
 * spdx-expression-parse. The signature is the contract the publiccode validator relies on.
 */
export function checkSpdxExpression(expression: string): SpdxCheck {
  try {
    parse(expression);
    return { valid: true, normalised: expression.trim(), error: null, deprecated: [], suggestion: null };
  } catch (error) {
    return { valid: false, normalised: null, error: (error as Error).message, deprecated: [], suggestion: null };
  }
}
