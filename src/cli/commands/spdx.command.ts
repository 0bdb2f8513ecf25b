import { checkSpdxExpression } from '../../metadata/spdx/spdx-expression.js';
import { EXIT_NEGATIVE, EXIT_OK, parseTarget, printJson } from './exit-codes.js';

/** `transferhub spdx check <expression> [--json]` */
export function run(args: string[]): number {
  const { target, json } = parseTarget(args);
  return spdxCheck(target, json);
}

export function spdxCheck(expression: string, json: boolean): number {
  const check = checkSpdxExpression(expression);
  if (json) {
    printJson({ valid: check.valid, normalised: check.normalised, error: check.error });
  } else if (check.valid) {
    console.log(`valid / gültig: ${check.normalised}`);
    if (check.deprecated.length > 0) console.log(`deprecated ids / veraltete Kennungen: ${check.deprecated.join(', ')}`);
    if (check.suggestion) console.log(`suggestion / Vorschlag: ${check.suggestion}`);
  } else {
    console.log(`invalid / ungültig: ${check.error}`);
    if (check.suggestion) console.log(`did you mean / meinten Sie: ${check.suggestion}`);
  }
  return check.valid ? EXIT_OK : EXIT_NEGATIVE;
}
