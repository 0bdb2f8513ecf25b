export type ParseFailure = { message: string; line: number; column: number };

/**
 * 1 MiB: longDescription is capped at 10,000 characters per language, so even a file described in
 * all 24 EU languages stays below 512 KiB; the largest real publiccode.yml files are tens of KiB.
 */
export const MAX_INPUT_BYTES = 1024 * 1024;
// Real files have a few hundred lines; 24 languages of maximal descriptions wrapped at 70
// characters are about 4,000. yaml spends roughly 10 µs per line of dense structure, so 15,000
// lines keep its worst case (measured: 15,000 one-item lines) to a fraction of a second.
const MAX_LINES = 15_000;
// A real file has a few hundred keys and list entries plus the commas and dashes of its prose
// (about 3 per 100 characters: some 7,000 for 24 maximal descriptions). yaml's cost grows faster
// than linearly on some malformed runs of indicators, so the cap sits at a few times real use.
const MAX_INDICATORS = 25_000;
// Flow collections nest a handful of levels in real files; yaml's lexer exhausts memory (a fatal
// crash, not an exception) on tens of thousands of `[`, so deeper input is refused before parsing.
const MAX_FLOW_DEPTH = 64;

export function decodeText(input: string | Uint8Array): string | ParseFailure {
  if (typeof input === 'string') {
    if (Buffer.byteLength(input, 'utf8') > MAX_INPUT_BYTES) return tooLarge(Buffer.from(input, 'utf8'));
    return input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  }
  if (input.length > MAX_INPUT_BYTES) return tooLarge(input);
  if ((input[0] === 0xff && input[1] === 0xfe) || (input[0] === 0xfe && input[1] === 0xff)) {
    return { message: 'Invalid UTF-8 (the file is UTF-16; publiccode.yml must be UTF-8)', line: 1, column: 1 };
  }
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(input);
    return text;
  } catch {
    const offset = firstInvalidUtf8(input);
    const { line, column } = lineOfOffset(input, offset);
    return { message: 'Invalid UTF-8', line, column };
  }
}

function tooLarge(bytes: Uint8Array): ParseFailure {
  const { line } = lineOfOffset(bytes, MAX_INPUT_BYTES);
  return { message: `file is larger than ${MAX_INPUT_BYTES} bytes (the limit is reached on line ${line})`, line, column: 1 };
}

function lineOfOffset(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  const end = Math.min(offset, bytes.length);
  for (let i = 0; i < end; i += 1) {
    if (bytes[i] === 0x0a) {
      line += 1;
      start = i + 1;
    }
  }
  return { line, column: end - start + 1 };
}

/** Offset of the first byte that does not start or continue a well-formed UTF-8 sequence. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    let need: number;
    let min: number;
    if (b < 0x80) {
      i += 1;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else {
      return i;
    }
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k += 1) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return bytes.length;
}

/**
 * Refuses input whose shape no publiccode.yml has, before the YAML parser sees it: yaml's cost
 * grows with the number of lines and indicators (and faster than linearly on some malformed
 * patterns, e.g. hundreds of thousands of `: ` on one line), and it crashes the process on tens
 * of thousands of nested `[`. Prose inside scalars counts too, so the limits are generous.
 */
export function structureProblem(text: string): ParseFailure | null {
  let depth = 0;
  let quote = '';
  let line = 1;
  let lineStart = 0;
  let indicators = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) {
      line += 1;
      lineStart = i + 1;
      if (line > MAX_LINES) return { message: `more than ${MAX_LINES} lines`, line, column: 1 };
      continue;
    }
    if (quote !== '') {
      if (text[i] === quote) quote = '';
      continue;
    }
    // `:`, `,`, `-`, `?` and node properties start YAML structure; counted only where they could.
    const next = text.charCodeAt(i + 1);
    const spaced = next === 0x20 || next === 0x0a || Number.isNaN(next);
    if (((c === 0x3a || c === 0x2d || c === 0x3f) && spaced) || c === 0x2c || c === 0x26 || c === 0x2a || c === 0x21) {
      indicators += 1;
      if (indicators > MAX_INDICATORS) {
        return { message: `more than ${MAX_INDICATORS} YAML indicators (: - , ? & * !)`, line, column: i - lineStart + 1 };
      }
    }
    if (c === 0x5b || c === 0x7b) {
      depth += 1;
      if (depth > MAX_FLOW_DEPTH) return { message: `flow collections nested deeper than ${MAX_FLOW_DEPTH} levels`, line, column: i - lineStart + 1 };
    } else if ((c === 0x5d || c === 0x7d) && depth > 0) {
      depth -= 1;
    } else if (depth > 0 && (c === 0x22 || c === 0x27)) {
      quote = text[i]!;
    }
  }
  return null;
}
