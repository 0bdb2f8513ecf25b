import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder of transferhub's package.json. Files the hub reads at run time (migrations/,
 * data/demo/, README.md) live there, beside src/ in a checkout and beside dist/ in a build, so
 * a path relative to the running module would differ between `npm start` (src/…) and the
 * compiled start (dist/src/…). The first package.json above this module is the package's own:
 * dist/ has none.
 */
function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

export const PACKAGE_ROOT = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

/** A path inside the package: `packagePath('migrations')`. */
export const packagePath = (...parts: string[]) => join(PACKAGE_ROOT, ...parts);
