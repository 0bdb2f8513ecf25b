import { isBcp47 } from './bcp47.js';
import type { Doc } from './document.js';
import { msg, type Results } from './results.js';

/** localisation: both keys required, at least one language, each a registered BCP 47 tag. */
export function validateLocalisation(localisation: Doc['localisation'], r: Results): void {
  if (localisation?.localisationReady === undefined) {
    r.error('localisation.localisationReady', msg.required('localisation.localisationReady'));
  }
  const languages = localisation?.availableLanguages;
  const key = 'localisation.availableLanguages';
  if (languages === undefined) r.error(key, msg.required(key));
  else if (languages.length === 0) r.error(key, msg.nonEmpty(key));
  else {
    for (const [i, lang] of languages.entries()) {
      if (!isBcp47(lang)) r.error(`${key}[${i}]`, msg.language(`${key}[${i}]`));
    }
  }
}
