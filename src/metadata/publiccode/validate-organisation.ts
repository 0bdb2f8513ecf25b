import type { Org } from './document.js';
import { isItalianIpaCode } from './formats.js';
import { goParseRequestUri, isUrnRfc2141 } from './go-url.js';
import { msg, type Results } from './results.js';
import { SUPPORT_ALIASES } from './vocabulary-enums.js';

/** organisation (0.7): `uri` is required and must be a URL with a host or a URN. */
export function validateOrganisation(org: Org | undefined, r: Results): void {
  if (org === undefined) return;
  checkOrganisationUri(org.uri, 'organisation.uri', r);
}

/** fundedBy[]: the same shape as organisation. */
export function validateFundedBy(list: Org[] | undefined, r: Results): void {
  for (const [i, org] of (list ?? []).entries()) checkOrganisationUri(org.uri, `fundedBy[${i}].uri`, r);
}

function checkOrganisationUri(uri: string | undefined, key: string, r: Results): void {
  if (uri === undefined || uri === '') {
    r.error(key, msg.required(key));
    return;
  }
  if (isOrganisationUri(uri)) return;
  r.error(key, uri.startsWith('urn:x-italian-pa:') ? msg.ipaUri(key) : msg.uri(key));
}

/** The reference's `organisation_uri`: an absolute URI with a host, or an RFC 2141 URN (iPA URNs name a known code). */
export function isOrganisationUri(value: string): boolean {
  const url = goParseRequestUri(value);
  if (url === null) return false;
  if (url.scheme === 'urn') {
    if (!isUrnRfc2141(value)) return false;
    if (url.opaque.toLowerCase().startsWith('x-italian-pa:')) return isItalianIpaCode(url.opaque.slice('x-italian-pa:'.length));
    return true;
  }
  return url.scheme !== '' && url.host !== '';
}

/** supports[] (0.7): each `id` is a known `alias:` name or a URI of the standard or platform. */
export function validateSupports(list: { id?: string }[] | undefined, r: Results): void {
  for (const [i, item] of (list ?? []).entries()) {
    const key = `supports[${i}].id`;
    const id = item.id;
    if (id === undefined || id === '') {
      r.error(key, msg.required(key));
    } else if (id.startsWith('alias:')) {
      if (!SUPPORT_ALIASES.has(id.slice('alias:'.length))) r.error(key, msg.alias(key));
    } else if (!isSupportUri(id)) {
      r.error(key, msg.uri(key));
    }
  }
}

function isSupportUri(value: string): boolean {
  const url = goParseRequestUri(value);
  if (url === null || url.scheme === '') return false;
  if (url.scheme === 'urn') return isUrnRfc2141(value);
  return url.host !== '' || url.opaque !== '';
}
