import { detectLicenceInText } from '../../metadata/licence/index';
import { validatePubliccode } from '../../metadata/publiccode/index';

/**
 * The validators maintainers run before they publish (like OpenCoDE's web validator).
 * No files on disk here, so local-file checks (logo, screenshots) are skipped, and the
 * network checks are off as in the crawler.
 */
export function validatePubliccodeText(file: string | Uint8Array) {
  const verdict = validatePubliccode(file);
  const strip = ({ key, message, line, column }: { key: string; message: string; line: number; column: number }) => ({
    key,
    message,
    line,
    column,
  });
  return {
    valid: verdict.valid,
    version: verdict.version,
    errors: verdict.results.filter((r) => r.type === 'error').map(strip),
    warnings: verdict.results.filter((r) => r.type === 'warning').map(strip),
  };
}

export function detectLicence(text: string | Uint8Array) {
  const detection = detectLicenceInText(text);
  const reason = detection.empty
    ? 'the text is empty'
    : detection.copyrightOnly
      ? 'only a copyright notice, no licence'
      : detection.spdx === null
        ? detection.modified
          ? 'looks like a licence, but matches no SPDX licence closely enough (modified text?)'
          : 'no licence text or notice found'
        : `matched ${detection.matches.map((m) => `${m.spdx} (${m.kind}, ${Math.round(m.confidence * 100)} %)`).join(', ')}`;
  return {
    spdx: detection.spdx,
    matches: detection.matches.map(({ spdx, confidence, kind }) => ({ spdx, confidence, kind })),
    modified: detection.modified,
    reason,
  };
}
