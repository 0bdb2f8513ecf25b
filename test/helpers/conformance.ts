import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';

/** The third-party corpora live beside the repository (../shared), never inside it. */
export const conformanceDir = fileURLToPath(new URL('../../../shared/conformance', import.meta.url));

/**
 * A suite over one corpus. vitest runs a suite's body while collecting it even when the suite is
 * skipped, so the body (which reads the corpus) is only handed to `describe` when the corpus is
 * there. Without it the suite is one skipped test that says where the corpus was looked for; CI,
 * which has the corpus, sets CONFORMANCE_REQUIRED=1 so that a missing corpus fails there instead
 * of passing silently.
 */
export function describeCorpus(title: string, marker: string, body: (dir: string) => void): void {
  const markerPath = join(conformanceDir, marker);
  if (existsSync(markerPath)) {
    describe(title, () => body(conformanceDir));
    return;
  }
  const absent = `${markerPath} is absent (the corpora are kept beside the repository, in ../shared/conformance)`;
  describe(title, () => {
    if (process.env.CONFORMANCE_REQUIRED === '1') {
      it('has its corpus (CONFORMANCE_REQUIRED=1)', () => {
        throw new Error(absent);
      });
    } else {
      it.skip(`is skipped: ${absent}`, () => {});
    }
  });
}
