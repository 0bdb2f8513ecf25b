// These packages are JSON: Node's ESM loader (the compiled build, dist/) needs the attribute.
import licenseIds from 'spdx-license-ids' with { type: 'json' };
import deprecatedLicenseIds from 'spdx-license-ids/deprecated.json' with { type: 'json' };
import exceptionIds from 'spdx-exceptions' with { type: 'json' };
import deprecatedExceptionIds from 'spdx-exceptions/deprecated.json' with { type: 'json' };

/**
 * The SPDX id tables, keyed by lower case: SPDX ids match case-insensitively (spec annex
 * "SPDX license expressions"), but we always report the case of the SPDX License List.
 */
const licenceByLower = new Map<string, string>();
for (const id of [...licenseIds, ...deprecatedLicenseIds]) licenceByLower.set(id.toLowerCase(), id);
const deprecatedLicences = new Set(deprecatedLicenseIds);

const exceptionByLower = new Map<string, string>();
for (const id of [...exceptionIds, ...deprecatedExceptionIds]) exceptionByLower.set(id.toLowerCase(), id);
const deprecatedExceptions = new Set(deprecatedExceptionIds);

/** The id as the SPDX License List spells it (`mit` → `MIT`), or null when it is no SPDX licence id. */
export function canonicalLicenseId(id: string): string | null {
  return licenceByLower.get(id.toLowerCase()) ?? null;
}

/** True for current and deprecated SPDX licence ids, in any case. */
export function isKnownLicenseId(id: string): boolean {
  return licenceByLower.has(id.toLowerCase());
}

/** True for ids the SPDX License List keeps only for compatibility (`GPL-2.0`, `eCos-2.0` …). */
export function isDeprecatedLicenseId(id: string): boolean {
  const canonical = canonicalLicenseId(id);
  return canonical !== null && deprecatedLicences.has(canonical);
}

/** The exception id as SPDX spells it (`classpath-exception-2.0` → `Classpath-exception-2.0`), or null. */
export function canonicalExceptionId(id: string): string | null {
  return exceptionByLower.get(id.toLowerCase()) ?? null;
}

export function isDeprecatedExceptionId(id: string): boolean {
  const canonical = canonicalExceptionId(id);
  return canonical !== null && deprecatedExceptions.has(canonical);
}

/** `LicenseRef-…` and `DocumentRef-…:LicenseRef-…`: user-defined, valid without being on the list. */
export function isLicenseRef(id: string): boolean {
  return /^(DocumentRef-[A-Za-z0-9.-]+:)?LicenseRef-[A-Za-z0-9.-]+$/.test(id);
}
