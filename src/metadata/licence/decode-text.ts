const utf8 = new TextDecoder('utf-8', { fatal: true });
const latin1 = new TextDecoder('latin1');

/**
 * Bytes of a licence file as text: UTF-8 when the bytes are valid UTF-8, else Latin-1 (old
 * licence files and READMEs are often ISO-8859-1; every byte sequence decodes as Latin-1, so
 * detection never fails on encoding). A byte-order mark is dropped either way.
 */
export function decodeLicenceText(input: string | Uint8Array): string {
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
