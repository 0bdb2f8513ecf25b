/**
 * The JSON-schema format name of a link a web page will render as `<a href>` or `<img src>`
 * (an organisation's website, a code hosting account, a repository, a release page).
 * `format: 'uri'` accepts any scheme, and `javascript:`, `data:` or `vbscript:` in an href
 * runs script in the visitor's browser (stored XSS), so such links must be http(s).
 */
export const WEB_URL_FORMAT = 'web-url';

/** True for an absolute http: or https: URL with a host; URL parsing lower-cases the scheme. */
export function isWebUrl(value: string): boolean {
  // Whitespace or control characters would be stripped by browsers and hide a scheme; refuse them.
  if ([...value].some((char) => char <= ' ' || char === '\u007f')) return false;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '';
}

/** The sentence a field error gives instead of ajv's `must match format "web-url"`. */
export const WEB_URL_MESSAGE = 'must be an http: or https: URL';

/**
 * A link taken from a file in a repository (publiccode.yml's landingURL, logo, roadmap…): an
 * http(s) URL or a path inside the repository (a logo is often `img/logo.svg`). Any other
 * scheme and protocol-relative `//host` addresses are refused, as for WEB_URL_FORMAT.
 */
export function isSafeLink(value: string): boolean {
  if (isWebUrl(value)) return true;
  const relative = !/^[a-z][a-z0-9+.-]*:/i.test(value.trim()) && !isProtocolRelative(value);
  return relative && ![...value].some((char) => char < ' ' || char === '\u007f');
}

/** `//host/x`, and `/\\host/x` which browsers read the same way: another host with the page's scheme. */
export const isProtocolRelative = (href: string) => /^[\\/]{2}/.test(href.trim());
