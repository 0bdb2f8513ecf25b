import YAML from 'yaml';
import { TreeError, toTree, type YNode } from './yaml-tree.js';

export type ParseFailure = { message: string; line: number; column: number };
export type Parsed = { root: YNode | null; failure: null } | { root: null; failure: ParseFailure };

/**
 * 1 MiB: longDescription is capped at 10,000 characters per language, so even a file described in
 * a dozen languages stays far below 512 KiB; the largest real publiccode.yml files are tens of KiB.
 * The cap bounds the worst case of the YAML parser on hostile input to a few seconds.
 */
export const MAX_INPUT_BYTES = 1024 * 1024;
// Flow collections nest a handful of levels in real files; yaml's lexer exhausts memory (a fatal
// crash, not an exception) on tens of thousands of `[`, so deeper input is refused before parsing.
const MAX_FLOW_DEPTH = 64;
// yaml's default; the reference's decoder also follows aliases, and a publiccode.yml rarely has any.
const MAX_ALIAS_COUNT = 100;

/** Bytes or text → node tree with positions, or the first reason it cannot be read. Never throws. */
export function parseYaml(input: string | Uint8Array): Parsed {
  const text = decodeText(input);
  if (typeof text !== 'string') return { root: null, failure: text };
  const deep = flowTooDeep(text);
  if (deep !== null) return { root: null, failure: deep };
  const lines = new YAML.LineCounter();
  try {
    // uniqueKeys off: its check is quadratic in the number of keys; toTree checks with a Set.
    // failsafe: scalars stay text; toTree types them the way the reference's YAML library does.
    const doc = YAML.parseDocument(text, { lineCounter: lines, uniqueKeys: false, prettyErrors: false, schema: 'failsafe' });
    const first = doc.errors[0];
    if (first !== undefined) {
      const pos = lines.linePos(first.pos[0]);
      return { root: null, failure: { message: first.message, line: pos.line, column: pos.col } };
    }
    // The visit is skipped for the common file without a single `*`.
    if (text.includes('*') && hasAlias(doc)) {
      try {
        doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
      } catch (error) {
        return { root: null, failure: { message: (error as Error).message, line: 1, column: 1 } };
      }
    }
    return { root: toTree(doc, lines), failure: null };
  } catch (error) {
    if (error instanceof TreeError) return { root: null, failure: { message: error.message, line: error.line, column: error.column } };
    // The parser itself gave up (stack exhaustion on pathological nesting): report, never crash.
    return { root: null, failure: { message: `YAML could not be parsed: ${(error as Error).message}`, line: 1, column: 1 } };
  }
}

function decodeText(input: string | Uint8Array): string | ParseFailure {
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

/** First place where `[`/`{` nest deeper than the limit; quotes count only inside flow collections. */
function flowTooDeep(text: string): ParseFailure | null {
  let depth = 0;
  let quote = '';
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) {
      line += 1;
      lineStart = i + 1;
      continue;
    }
    if (quote !== '') {
      if (text[i] === quote) quote = '';
      continue;
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

function hasAlias(doc: YAML.Document): boolean {
  let found = false;
  YAML.visit(doc, {
    Alias() {
      found = true;
      return YAML.visit.BREAK;
    },
  });
  return found;
}
