import type { Doc, GermanSection, ItalianSection } from './document.js';
import { isItalianIpaCode } from './formats.js';
import { msg, type Results } from './results.js';
import { IT_EXTENSION_VERSIONS } from './vocabulary-enums.js';

/** Country sections: the reference's Italian one (IT, deprecated it) and our German one (DE or de). */
export function validateCountrySections(doc: Doc, r: Results): void {
  validateItalian(doc.IT, 'IT', r);
  validateItalian(doc.it, 'it', r);
  validateGerman(doc.DE, 'DE', r);
  validateGerman(doc.de, 'de', r);
  if (doc.DE !== undefined && doc.de !== undefined) r.error('de', "'DE' key already present. Remove this key");
}

function validateItalian(section: ItalianSection | undefined, name: string, r: Results): void {
  if (section === undefined) return;
  const version = section.countryExtensionVersion;
  if (version !== undefined && !(IT_EXTENSION_VERSIONS as readonly string[]).includes(version)) {
    r.error(`${name}.countryExtensionVersion`, msg.oneOf(`${name}.countryExtensionVersion`, IT_EXTENSION_VERSIONS));
  }
  const ipa = section.riuso?.codiceIPA;
  if (ipa && !isItalianIpaCode(ipa)) r.error(`${name}.riuso.codiceIPA`, msg.ipaCode(`${name}.riuso.codiceIPA`));
}

/**
 * Our deliberate addition to the reference: a German section that names the administrative
 * services (LeiKa Leistungsschlüssel, OZG ids and their Themenfeld/Lebenslage) the software covers.
 * Types are enforced by the decoder; here every given text must be non-empty and every entry say something.
 */
function validateGerman(section: GermanSection | undefined, name: string, r: Results): void {
  if (section === undefined) return;
  if (section.countryExtensionVersion === '') {
    r.error(`${name}.countryExtensionVersion`, msg.notEmptyString(`${name}.countryExtensionVersion`));
  }
  for (const [i, entry] of (section.leika ?? []).entries()) {
    const base = `${name}.leika[${i}]`;
    const fields = ['themenfeld', 'lebenslage', 'ozg-id', 'leika-id'] as const;
    if (fields.every((field) => entry[field] === undefined)) {
      r.error(base, `${base.slice(base.lastIndexOf('.') + 1)} must name at least one of themenfeld, lebenslage, ozg-id, leika-id`);
      continue;
    }
    for (const field of fields) {
      const value = entry[field];
      if (value !== undefined && value.trim() === '') r.error(`${base}.${field}`, msg.notEmptyString(`${base}.${field}`));
    }
  }
}
