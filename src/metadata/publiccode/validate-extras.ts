import type { Doc, ItalianSection } from './document.js';
import { isCountryCode, isItalianIpaCode } from './formats.js';
import { authorsFileProblem, logoProblem, relativeOrUrlProblem, screenshotProblem } from './local-files.js';
import { msg, type Results } from './results.js';

/**
 * The reference's checks beyond field rules (its validateFields), without the network ones:
 * local files, deprecations and the Italian section's compatibility rules, in its order.
 */
export function validateExtras(doc: Doc, baseDir: string | undefined, r: Results): void {
  logo(doc.logo, 'logo', baseDir, r);
  if (doc.monochromeLogo) {
    r.warning('monochromeLogo', msg.deprecatedUse('logo'));
    logo(doc.monochromeLogo, 'monochromeLogo', baseDir, r);
  }
  for (const field of ['countries', 'unsupportedCountries'] as const) {
    for (const [i, code] of (doc.intendedAudience?.[field] ?? []).entries()) {
      if (isCountryCode(code) && code === code.toLowerCase()) {
        r.warning(`intendedAudience.${field}[${i}]`, `Lowercase country codes are DEPRECATED. Use uppercase instead ('${code.toUpperCase()}')`);
      }
    }
  }
  const authorsFile = doc.legal?.authorsFile;
  if (authorsFile !== undefined) {
    r.warning('legal.authorsFile', msg.deprecated);
    const problem = relativeOrUrlProblem(authorsFile) ?? authorsFileProblem(authorsFile, baseDir);
    if (problem !== null) r.error('legal.authorsFile', problem);
  }
  if (doc.legal?.repoOwner !== undefined) r.warning('legal.repoOwner', msg.deprecatedUse('organisation.name'));
  if (doc.inputTypes !== undefined) r.warning('inputTypes', msg.deprecated);
  if (doc.outputTypes !== undefined) r.warning('outputTypes', msg.deprecated);
  for (const [lang, desc] of doc.description ?? []) {
    if (desc.genericName) r.warning(`description.${lang}.genericName`, msg.deprecated);
    for (const [i, shot] of (desc.screenshots ?? []).entries()) {
      const problem = relativeOrUrlProblem(shot) ?? screenshotProblem(shot, baseDir);
      if (problem !== null) r.error(`description.${lang}.screenshots[${i}]`, problem);
    }
  }
  italian(doc, r);
}

function logo(value: string | undefined, key: string, baseDir: string | undefined, r: Results): void {
  if (!value) return;
  const problem = relativeOrUrlProblem(value) ?? logoProblem(value, baseDir);
  if (problem !== null) r.error(key, problem);
}

function italian(doc: Doc, r: Results): void {
  let it: ItalianSection | undefined = doc.IT;
  if (doc.it !== undefined) {
    r.warning('it', "Lowercase country codes are DEPRECATED and will be removed in the future. Use 'IT' instead");
    it = doc.it;
  }
  if (doc.IT !== undefined && doc.it !== undefined) {
    r.error('it', "'IT' key already present. Remove this key");
    it = doc.IT;
  }
  if (it === undefined) return;
  if (it.conforme !== undefined) r.warning('IT.conforme', msg.deprecated);
  const ipa = it.riuso?.codiceIPA;
  if (ipa && isItalianIpaCode(ipa)) {
    r.warning('IT.riuso.codiceIPA', msg.deprecatedUse(`organisation.uri' and set it to 'urn:x-italian-pa:${ipa}`));
  }
}
