import { checkSpdxExpression, type SpdxCheck } from '../spdx/spdx-expression.js';

// Registries see the same few dozen expressions over and over; parsing one costs more than the rest of a check.
const MAX_ENTRIES = 1000;
const cache = new Map<string, SpdxCheck>();

/** checkSpdxExpression, remembered for the most recent expressions. */
export function spdxCheck(expression: string): SpdxCheck {
  const known = cache.get(expression);
  if (known !== undefined) return known;
  const check = checkSpdxExpression(expression);
  if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!);
  cache.set(expression, check);
  return check;
}
