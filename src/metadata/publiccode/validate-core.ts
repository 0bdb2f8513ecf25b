import type { Doc } from './document.js';
import { isCountryCode, isDate, isMimeType } from './formats.js';
import { isGoHttpUrl, isGoUrl } from './go-url.js';
import { msg, type Results } from './results.js';
import { validateFundedBy, validateOrganisation, validateSupports } from './validate-organisation.js';
import { CATEGORIES, SCOPES } from './vocabulary-categories.js';
import { DEVELOPMENT_STATUSES, SOFTWARE_TYPES } from './vocabulary-enums.js';

/** The top-level keys up to intendedAudience, in the reference's order. */
export function validateCore(doc: Doc, r: Results): void {
  if (!doc.name) r.error('name', msg.required('name'));
  if (doc.url === undefined) r.error('url', msg.required('url'));
  else if (!isGoUrl(doc.url)) r.error('url', msg.url('url'));
  httpUrl(doc.landingURL, 'landingURL', r);
  for (const [i, url] of (doc.isBasedOn ?? []).entries()) {
    if (!isGoUrl(url)) r.error(`isBasedOn[${i}]`, msg.url(`isBasedOn[${i}]`));
  }
  if (doc.releaseDate !== undefined && !isDate(doc.releaseDate)) r.error('releaseDate', msg.date('releaseDate'));
  validateOrganisation(doc.organisation, r);
  eachOf(doc.inputTypes, 'inputTypes', isMimeType, msg.mime, r);
  eachOf(doc.outputTypes, 'outputTypes', isMimeType, msg.mime, r);
  if ((doc.platforms ?? []).length === 0) r.error('platforms', msg.nonEmpty('platforms'));
  eachOf(doc.categories, 'categories', (c) => CATEGORIES.has(c), msg.category, r);
  validateFundedBy(doc.fundedBy, r);
  httpUrl(doc.roadmap, 'roadmap', r);
  oneOf(doc.developmentStatus, 'developmentStatus', DEVELOPMENT_STATUSES, r);
  oneOf(doc.softwareType, 'softwareType', SOFTWARE_TYPES, r);
  validateSupports(doc.supports, r);
  const audience = doc.intendedAudience;
  if (audience !== undefined) {
    eachOf(audience.scope, 'intendedAudience.scope', (s) => SCOPES.has(s), msg.scope, r);
    eachOf(audience.countries, 'intendedAudience.countries', isCountryCode, msg.country, r);
    eachOf(audience.unsupportedCountries, 'intendedAudience.unsupportedCountries', isCountryCode, msg.country, r);
  }
}

/** `required,oneof=…`: missing and unknown values are reported differently, as upstream does. */
export function oneOf(value: string | undefined, key: string, options: readonly string[], r: Results): void {
  if (!value) r.error(key, msg.required(key));
  else if (!options.includes(value)) r.error(key, msg.oneOf(key, options));
}

export function httpUrl(value: string | undefined, key: string, r: Results): void {
  if (value !== undefined && !isGoHttpUrl(value)) r.error(key, msg.httpUrl(key));
}

/** `dive,<check>`: one error per failing entry, keyed `list[i]`. */
export function eachOf(
  list: string[] | undefined,
  key: string,
  ok: (value: string) => boolean,
  message: (key: string) => string,
  r: Results,
): void {
  for (const [i, value] of (list ?? []).entries()) {
    if (!ok(value)) r.error(`${key}[${i}]`, message(`${key}[${i}]`));
  }
}
