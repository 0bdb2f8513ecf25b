import { spdxCheck } from './spdx-cache.js';
import type { Doc } from './document.js';
import { msg, type Results } from './results.js';

/** legal.license: required, an SPDX expression (ids case-insensitive, deprecated ids accepted, as go-spdx does). */
export function validateLegal(legal: Doc['legal'], r: Results): void {
  const license = legal?.license;
  if (!license) r.error('legal.license', msg.required('legal.license'));
  else if (!spdxCheck(license).valid) r.error('legal.license', msg.licence('legal.license'));
}
