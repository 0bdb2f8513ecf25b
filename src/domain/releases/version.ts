import semver from 'semver';

/** "v1.2.0" and "1.2.0" name one release: tags and CI pipelines disagree on the prefix. */
export function normaliseVersion(version: string): string {
  const trimmed = version.trim();
  return /^[vV]\d/.test(trimmed) ? trimmed.slice(1) : trimmed;
}

/**
 * What a release version may look like: a digit first (after the "v" normaliseVersion drops),
 * then letters, digits and . + - _ ("1.2.0", "2024.03", "2.0.0-rc.1+build.5"). Tags such as
 * "stable" or "release-candidate" are not releases, and markup in a version ends here.
 * 100 characters as the push body allows; real versions are far shorter.
 */
const PLAUSIBLE_VERSION = /^\d[0-9A-Za-z.+_-]{0,99}$/;

export function isPlausibleVersion(version: string): boolean {
  return PLAUSIBLE_VERSION.test(version);
}

type Dated = { version: string; releasedAt: Date | null };

/**
 * Parsed versions, remembered: sorting a release list compares each version ~log2(n) times, and
 * parsing dominates (5,000 tags: ~300 ms per page without it). 20,000 entries are a few MB at most
 * and cover the largest release lists seen; beyond that the cache starts over.
 */
const parsed = new Map<string, semver.SemVer | null>();
const PARSED_MAX = 20_000;

function semantic(version: string): semver.SemVer | null {
  let result = parsed.get(version);
  if (result === undefined) {
    const valid = semver.valid(semver.coerce(version, { loose: true, includePrerelease: true }) ?? '') && semver.valid(version, { loose: true });
    result = valid ? new semver.SemVer(valid, { loose: true }) : null;
    if (parsed.size >= PARSED_MAX) parsed.clear();
    parsed.set(version, result);
  }
  return result;
}

/**
 * Newest first: semantic versions by precedence, then the others by date. Versions that
 * are not semantic ("2024.03", "1.2") still count as releases, ordered by time; equal
 * dates are ordered by the version text, so the order is total (pages need that).
 */
export function compareReleases(a: Dated, b: Dated): number {
  const va = semantic(a.version);
  const vb = semantic(b.version);
  if (va && vb) return vb.compare(va) || (a.version < b.version ? -1 : a.version > b.version ? 1 : 0);
  if (va) return -1;
  if (vb) return 1;
  return (b.releasedAt?.getTime() ?? 0) - (a.releasedAt?.getTime() ?? 0) || (a.version < b.version ? 1 : a.version > b.version ? -1 : 0);
}

/**
 * A release candidate, beta or nightly: semver's pre-release part ("2.0.0-rc.1"), or the
 * usual words in versions that are not semantic ("2.0rc1", "3.1-beta").
 */
export function isPrerelease(version: string): boolean {
  const valid = semantic(version);
  if (valid) return valid.prerelease.length > 0;
  return /(^|[\d.\-_+])(alpha|beta|rc|pre|preview|dev|snapshot|nightly)/i.test(version);
}

/**
 * The latest stable release, and the newest prerelease while it is newer than that (a
 * release candidate of a version already released is history, not news).
 */
export function latestReleases<T extends Dated>(releases: T[]): { stable: T | undefined; prerelease: T | undefined } {
  const sorted = [...releases].sort(compareReleases);
  const stableIndex = sorted.findIndex((release) => !isPrerelease(release.version));
  const newer = stableIndex < 0 ? sorted : sorted.slice(0, stableIndex);
  return { stable: sorted[stableIndex], prerelease: newer.find((release) => isPrerelease(release.version)) };
}
