/**
 * The parts of Go's net/url parsing that decide the reference's URL verdicts (`url`, `http_url`,
 * organisation URIs). WHATWG `new URL()` disagrees with Go on many inputs (it accepts `foobar:`
 * hosts, rejects `urn:` forms differently…), so the Go rules are reproduced instead.
 */
export type GoUrl = { scheme: string; opaque: string; host: string; path: string; query: string; fragment: string };

export function goParseUrl(raw: string): GoUrl | null {
  const hash = raw.indexOf('#');
  const main = hash >= 0 ? raw.slice(0, hash) : raw;
  const fragment = hash >= 0 ? raw.slice(hash + 1) : '';
  const url = parse(main, false);
  if (url === null) return null;
  if (fragment !== '') {
    const decoded = unescape(fragment, 'fragment');
    if (decoded === null) return null;
    url.fragment = decoded;
  }
  return url;
}

export function goParseRequestUri(raw: string): GoUrl | null {
  return parse(raw, true);
}

function parse(raw: string, viaRequest: boolean): GoUrl | null {
  if (hasControlByte(raw)) return null;
  if (raw === '' && viaRequest) return null;
  const url: GoUrl = { scheme: '', opaque: '', host: '', path: '', query: '', fragment: '' };
  if (raw === '*') {
    url.path = '*';
    return url;
  }
  const scheme = getScheme(raw);
  if (scheme === null) return null;
  url.scheme = scheme.scheme.toLowerCase();
  let rest = scheme.rest;
  if (rest.endsWith('?') && rest.indexOf('?') === rest.length - 1) {
    rest = rest.slice(0, -1);
  } else {
    const q = rest.indexOf('?');
    if (q >= 0) {
      url.query = rest.slice(q + 1);
      rest = rest.slice(0, q);
    }
  }
  if (!rest.startsWith('/')) {
    if (url.scheme !== '') {
      url.opaque = rest;
      return url;
    }
    if (viaRequest) return null;
    const slash = rest.indexOf('/');
    const segment = slash >= 0 ? rest.slice(0, slash) : rest;
    if (segment.includes(':')) return null;
  }
  if ((url.scheme !== '' || (!viaRequest && !rest.startsWith('///'))) && rest.startsWith('//')) {
    let authority = rest.slice(2);
    rest = '';
    const slash = authority.indexOf('/');
    if (slash >= 0) {
      rest = authority.slice(slash);
      authority = authority.slice(0, slash);
    }
    const host = parseAuthority(authority);
    if (host === null) return null;
    url.host = host;
  }
  const path = unescape(rest, 'path');
  if (path === null) return null;
  url.path = path;
  return url;
}

function hasControlByte(s: string): boolean {
  for (let i = 0; i < s.length; i += 1) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

function getScheme(raw: string): { scheme: string; rest: string } | null {
  for (let i = 0; i < raw.length; i += 1) {
    const c = raw[i]!;
    if (/[a-zA-Z]/.test(c)) continue;
    if (/[0-9+\-.]/.test(c)) {
      if (i === 0) return { scheme: '', rest: raw };
      continue;
    }
    if (c === ':') {
      if (i === 0) return null; // "missing protocol scheme"
      return { scheme: raw.slice(0, i), rest: raw.slice(i + 1) };
    }
    return { scheme: '', rest: raw };
  }
  return { scheme: '', rest: raw };
}

function parseAuthority(authority: string): string | null {
  const at = authority.lastIndexOf('@');
  const host = parseHost(at < 0 ? authority : authority.slice(at + 1));
  if (host === null) return null;
  if (at >= 0) {
    const userinfo = authority.slice(0, at);
    if (!/^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/.test(userinfo)) return null;
    if (unescape(userinfo, 'userinfo') === null) return null;
  }
  return host;
}

function parseHost(host: string): string | null {
  if (host.startsWith('[')) {
    const close = host.lastIndexOf(']');
    if (close < 0) return null;
    if (!validOptionalPort(host.slice(close + 1))) return null;
  } else {
    const colon = host.lastIndexOf(':');
    if (colon >= 0 && !validOptionalPort(host.slice(colon))) return null;
  }
  return unescape(host, 'host');
}

function validOptionalPort(port: string): boolean {
  return port === '' || /^:[0-9]*$/.test(port);
}

// Characters Go lets through unescaped in a host (RFC 3986 sub-delims plus a few it tolerates).
const HOST_OK = /[A-Za-z0-9\-_.~!$&'()*+,;=:[\]<>"]/;

function unescape(s: string, mode: 'path' | 'fragment' | 'host' | 'userinfo'): string | null {
  for (let i = 0; i < s.length; i += 1) {
    const c = s[i]!;
    if (c === '%') {
      const hex = s.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) return null;
      if (mode === 'host' && parseInt(hex[0]!, 16) < 8 && hex !== '25') return null;
      i += 2;
    } else if (mode === 'host' && c.charCodeAt(0) < 0x80 && !HOST_OK.test(c)) {
      return null;
    }
  }
  try {
    return decodeURIComponent(s.replace(/%(?![0-9a-fA-F]{2})/g, '%25'));
  } catch {
    return s; // Go accepts escapes of bytes that are not UTF-8; the value only matters for emptiness here.
  }
}

/** go-playground's `url`: a scheme and a host, fragment or opaque part (file: URLs need a path). */
export function isGoUrl(value: string): boolean {
  const s = value.toLowerCase();
  if (s === '') return false;
  if (s.startsWith('file:/') && goParseRequestUri(s) !== null) return true;
  const url = goParseUrl(s);
  if (url === null || url.scheme === '') return false;
  if (url.scheme === 'file') return url.path !== '' && url.path !== '/';
  return url.host !== '' || url.fragment !== '' || url.opaque !== '';
}

/** go-playground's `http_url`: a `url` whose scheme is http(s) and that has a host. */
export function isGoHttpUrl(value: string): boolean {
  if (!isGoUrl(value)) return false;
  const url = goParseUrl(value.toLowerCase());
  return url !== null && url.host !== '' && (url.scheme === 'http' || url.scheme === 'https');
}

// RFC 2141 as go-urn reads it: `urn:`, a namespace id of up to 32 letters/digits/hyphens, a specific string.
const URN = /^urn:[A-Za-z0-9][A-Za-z0-9-]{0,31}:(?:[A-Za-z0-9()+,\-.:=@;$_!*'/?#]|%[0-9A-Fa-f]{2})+$/i;

export function isUrnRfc2141(value: string): boolean {
  return URN.test(value) && !/^urn:urn:/i.test(value);
}
