import type { ObjectStore } from './pack';

export type TreeEntry = { mode: string; name: string; oid: string; kind: 'blob' | 'tree' | 'commit' };

export function parseTree(data: Buffer): TreeEntry[] {
  const entries: TreeEntry[] = [];
  let pos = 0;
  while (pos < data.length) {
    const space = data.indexOf(0x20, pos);
    const nul = data.indexOf(0, space);
    const mode = data.toString('latin1', pos, space);
    // Names are bytes; UTF-8 is what every forge shows (umlauts in path names).
    const name = data.toString('utf8', space + 1, nul);
    const oid = data.toString('hex', nul + 1, nul + 21);
    const kind = mode === '40000' ? 'tree' : mode === '160000' ? 'commit' : 'blob';
    entries.push({ mode, name, oid, kind });
    pos = nul + 21;
  }
  return entries;
}

/** Header fields of a commit or tag object up to the blank line before the message. */
export function parseHeaders(data: Buffer): Map<string, string> {
  const text = data.toString('utf8');
  const end = text.indexOf('\n\n');
  const headers = new Map<string, string>();
  for (const line of (end < 0 ? text : text.slice(0, end)).split('\n')) {
    if (line.startsWith(' ')) continue;
    const space = line.indexOf(' ');
    if (space > 0 && !headers.has(line.slice(0, space))) headers.set(line.slice(0, space), line.slice(space + 1));
  }
  return headers;
}

export function messageOf(data: Buffer): string {
  const text = data.toString('utf8');
  const end = text.indexOf('\n\n');
  return end < 0 ? '' : text.slice(end + 2);
}

/** "Jane <j@x> 1700000000 +0100" → the instant. */
export function signatureDate(signature: string | undefined): Date | null {
  const match = signature ? /\s(\d+)\s[+-]\d{4}$/.exec(signature) : null;
  return match ? new Date(Number(match[1]) * 1000) : null;
}

/** The date a tag names: the tagger's date of an annotated tag, else its commit's date. */
export function tagDate(store: ObjectStore, oid: string): Date | null {
  let current = store.objects.get(oid);
  for (let depth = 0; current && depth < 5; depth++) {
    const headers = parseHeaders(current.data);
    if (current.type === 'tag') {
      const tagger = signatureDate(headers.get('tagger'));
      if (tagger) return tagger;
      current = store.objects.get(headers.get('object') ?? '');
    } else if (current.type === 'commit') {
      return signatureDate(headers.get('committer'));
    } else return null;
  }
  return null;
}

/** Where an inline signature starts in a tag message (`git tag -s`: OpenPGP, SSH or X.509). */
const SIGNATURE = /\n?-----BEGIN (PGP|SSH|SIGNED) (SIGNATURE|MESSAGE)-----[\s\S]*$/;

/**
 * The message of an annotated tag without its signature, null for a lightweight tag (the
 * oid names a commit) or an empty message.
 */
export function tagMessage(store: ObjectStore, oid: string): string | null {
  const object = store.objects.get(oid);
  if (object?.type !== 'tag') return null;
  const message = messageOf(object.data).replace(SIGNATURE, '').trim();
  return message === '' ? null : message;
}
