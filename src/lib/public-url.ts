/**
 * A link the hub hands out. Under HUB_PUBLIC_URL (which may carry a path, for a hub behind a
 * proxy at https://example.org/register) it is absolute; without it, the bare path, a relative
 * reference the client resolves against the address it used (RFC 9110, section 10.2.2). Guessing
 * an absolute URL from the request's Host header instead would trust a header any client sets.
 */
export function publicLink(publicUrl: string | null, path: string): string {
  return publicUrl ? `${publicBase(publicUrl)}${path}` : path;
}

/** The public URL without its trailing slash, so paths append to it. */
export function publicBase(publicUrl: string): string {
  return publicUrl.replace(/\/+$/, '');
}
