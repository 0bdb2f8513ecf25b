import semver from 'semver';

/** "v1.2.0" and "1.2.0" name one release: tags and CI pipelines disagree on the prefix. */
export function normaliseVersion(version: string): string {
  const trimmed = version.trim();
  return /^[vV]\d/.test(trimmed) ? trimmed.slice(1) : trimmed;
}

type Dated = { version: string; releasedAt: Date | null };

/**
 * Newest first: semantic versions by precedence, then the others by date. Tags that
 * are not versions ("stable", "2021-rc") still count as releases, ordered by time.
 */
export function compareReleases(a: Dated, b: Dated): number {
  const va = semver.valid(semver.coerce(a.version, { loose: true, includePrerelease: true }) ?? '') && semver.valid(a.version, { loose: true });
  const vb = semver.valid(semver.coerce(b.version, { loose: true, includePrerelease: true }) ?? '') && semver.valid(b.version, { loose: true });
  if (va && vb) return semver.rcompare(va, vb, { loose: true });
  if (va) return -1;
  if (vb) return 1;
  return (b.releasedAt?.getTime() ?? 0) - (a.releasedAt?.getTime() ?? 0);
}

export function latestRelease<T extends Dated>(releases: T[]): T | undefined {
  return [...releases].sort(compareReleases)[0];
}
