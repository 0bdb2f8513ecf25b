import YAML from 'yaml';
import { decodeText, structureProblem, type ParseFailure } from './input-limits.js';
import { TreeError, toTree, type YNode } from './yaml-tree.js';

export type { ParseFailure } from './input-limits.js';
export { MAX_INPUT_BYTES } from './input-limits.js';
export type Parsed = { root: YNode | null; failure: null } | { root: null; failure: ParseFailure };

// yaml's default; the reference's decoder also follows aliases, and a publiccode.yml rarely has any.
const MAX_ALIAS_COUNT = 100;

/** Bytes or text → node tree with positions, or the first reason it cannot be read. Never throws. */
export function parseYaml(input: string | Uint8Array): Parsed {
  const text = decodeText(input);
  if (typeof text !== 'string') return { root: null, failure: text };
  const tooMuch = structureProblem(text);
  if (tooMuch !== null) return { root: null, failure: tooMuch };
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
