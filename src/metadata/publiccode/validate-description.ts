import { isBcp47 } from './bcp47.js';
import type { Description } from './document.js';
import { graphemeLength } from './formats.js';
import { mapKey, msg, type Results } from './results.js';
import { httpUrl } from './validate-core.js';

// Limits of the standard, counted in user-perceived characters like the reference.
const GENERIC_NAME_MAX = 35;
const SHORT_DESCRIPTION_MAX = 150;
const LONG_DESCRIPTION_MIN = 150;
const LONG_DESCRIPTION_MAX = 10_000;

/** description: at least one language, every key a BCP 47 tag, then each language's texts. */
export function validateDescription(description: Map<string, Description> | undefined, r: Results): void {
  if (description === undefined || description.size === 0) {
    r.error('description', msg.nonEmpty('description'));
    return;
  }
  if ([...description.keys()].some((lang) => !isBcp47(lang))) {
    r.error('description', msg.language('description'));
    return;
  }
  for (const [lang, desc] of description) {
    const base = mapKey('description', lang);
    if (desc.genericName !== undefined && graphemeLength(desc.genericName) > GENERIC_NAME_MAX) {
      r.error(`${base}.genericName`, msg.max(`${base}.genericName`, GENERIC_NAME_MAX));
    }
    const short = desc.shortDescription;
    if (!short) r.error(`${base}.shortDescription`, msg.required(`${base}.shortDescription`));
    else if (graphemeLength(short) > SHORT_DESCRIPTION_MAX) {
      r.error(`${base}.shortDescription`, msg.max(`${base}.shortDescription`, SHORT_DESCRIPTION_MAX));
    }
    const long = desc.longDescription;
    const longKey = `${base}.longDescription`;
    const longLength = long ? graphemeLength(long) : 0;
    if (!long) r.error(longKey, msg.required(longKey));
    else if (longLength < LONG_DESCRIPTION_MIN) r.error(longKey, msg.min(longKey, LONG_DESCRIPTION_MIN));
    else if (longLength > LONG_DESCRIPTION_MAX) r.error(longKey, msg.max(longKey, LONG_DESCRIPTION_MAX));
    httpUrl(desc.documentation, `${base}.documentation`, r);
    httpUrl(desc.apiDocumentation, `${base}.apiDocumentation`, r);
    if ((desc.features ?? []).length === 0) r.error(`${base}.features`, msg.nonEmpty(`${base}.features`));
    for (const [i, video] of (desc.videos ?? []).entries()) {
      if (video !== '') httpUrl(video, `${base}.videos[${i}]`, r);
    }
  }
}
