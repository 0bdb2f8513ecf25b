const utf8 = new TextDecoder('utf-8', { fatal: true });
const latin1 = new TextDecoder('latin1');

/**
 * Bytes of a text file from a repository (licence, README) as text: UTF-8 when the bytes are
 * valid UTF-8, else Windows-1252/Latin-1 (old German licence files and READMEs often are; every
 * byte sequence decodes, so reading never fails on encoding). A byte-order mark is dropped either way.
 */
export function decodeText(input: string | Uint8Array): string {
  let text: string;
  if (typeof input === 'string') {
    text = input;
  } else {
    try {
      text = utf8.decode(input);
    } catch {
      text = latin1.decode(input);
    }
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
