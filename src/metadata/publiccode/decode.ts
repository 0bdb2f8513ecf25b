import type { Doc } from './document.js';
import { goParseUrl } from './go-url.js';
import { goSprint } from './scalar-types.js';
import { PUBLICCODE_SCHEMA, type Schema } from './schema.js';
import { findKeyAtLine, type YMap, type YNode, type YScalar } from './yaml-tree.js';

export type DecodeProblem = { key: string; message: string; line: number; column: number };

export type Decoded = {
  /** Everything that could be read; mistyped values are left out (what the model is built from). */
  doc: Doc;
  /**
   * The reference's view for validation: its YAML decoder drops a whole top-level field when any
   * value inside it has the wrong type (`description` becomes empty if one feature is a map).
   */
  view: Doc;
  problems: DecodeProblem[];
};

/**
 * `go`: a number in a text field reads as Go prints it (`1.10` → `1.1`, `+39…` → `39…`), which is
 * what the reference validates. `source`: as written, which is what a crawler wants to store.
 */
type Mode = 'go' | 'source';
// Naming a problem walks the tree (findKeyAtLine); past this many, further ones are counted, not named.
const MAX_PROBLEMS = 100;

type Ctx = { root: YNode; problems: DecodeProblem[]; typeErrors: number; mode: Mode; converted: number };

/** Decodes the root mapping against the schema, with the reference's type rules (any scalar fits a string, only true/false a bool). */
export function decodeDocument(root: YMap): Decoded {
  const go = decodeRoot(root, 'go');
  // Only a file with numbers or booleans in text fields reads differently as written.
  const doc = go.converted > 0 ? decodeRoot(root, 'source').doc : go.doc;
  return { doc, view: go.view, problems: go.problems };
}

function decodeRoot(root: YMap, mode: Mode): Decoded & { converted: number } {
  const ctx: Ctx = { root, problems: [], typeErrors: 0, mode, converted: 0 };
  const doc: { [field: string]: unknown } = {};
  const view: { [field: string]: unknown } = {};
  if (PUBLICCODE_SCHEMA.kind !== 'struct') throw new Error('schema root must be a struct');
  const byKey = new Map(root.entries.map((e) => [e.key, e]));
  for (const [field, schema] of PUBLICCODE_SCHEMA.fields) {
    const entry = byKey.get(field);
    if (entry === undefined) continue;
    const before = ctx.typeErrors;
    const value = decode(entry.value, schema, field, ctx);
    if (value === undefined) continue;
    doc[field] = value;
    if (ctx.typeErrors === before) view[field] = value;
  }
  const known = new Set(PUBLICCODE_SCHEMA.fields.map(([name]) => name));
  for (const entry of root.entries) {
    if (!known.has(entry.key)) unknownField(ctx, entry.key, entry.key, entry.line, true);
  }
  return { doc: doc as Doc, view: view as Doc, problems: ctx.problems, converted: ctx.converted };
}

function decode(node: YNode, schema: Schema, path: string, ctx: Ctx): unknown {
  if (node.kind === 'scalar' && node.value === null) return undefined;
  switch (schema.kind) {
    case 'string':
      if (node.kind !== 'scalar') return wrongType(ctx, node, path);
      return text(node, ctx);
    case 'url': {
      if (node.kind !== 'scalar') return wrongType(ctx, node, path);
      const url = text(node, ctx);
      if (goParseUrl(url) === null) return wrongType(ctx, node, path, `cannot parse "${url}" as a URL`);
      return url;
    }
    case 'bool':
      if (node.kind !== 'scalar' || typeof node.value !== 'boolean') return wrongType(ctx, node, path);
      return node.value;
    case 'list': {
      if (node.kind !== 'seq') return wrongType(ctx, node, path);
      const items: unknown[] = [];
      for (const [i, item] of node.items.entries()) {
        // A null entry is Go's zero value, kept so that later entries keep their index.
        const value = isNull(item) ? zeroOf(schema.of) : decode(item, schema.of, `${path}[${i}]`, ctx);
        if (value !== undefined) items.push(value);
      }
      return items;
    }
    case 'urlOrList':
      // The reference's UrlOrUrlArray: a list of URLs, or one URL standing for a list of one.
      if (node.kind === 'seq') return decode(node, { kind: 'list', of: { kind: 'url' } }, path, ctx);
      if (node.kind === 'scalar') {
        const one = decode(node, { kind: 'url' }, path, ctx);
        return one === undefined ? undefined : [one];
      }
      return wrongType(ctx, node, path);
    case 'struct': {
      if (node.kind !== 'map') return wrongType(ctx, node, path);
      const out: { [field: string]: unknown } = {};
      const byKey = new Map(node.entries.map((e) => [e.key, e]));
      for (const [field, fieldSchema] of schema.fields) {
        const entry = byKey.get(field);
        if (entry === undefined) continue;
        const value = decode(entry.value, fieldSchema, `${path}.${field}`, ctx);
        if (value !== undefined) out[field] = value;
      }
      const known = new Set(schema.fields.map(([name]) => name));
      for (const entry of node.entries) {
        if (!known.has(entry.key)) unknownField(ctx, entry.key, `${path}.${entry.key}`, entry.line);
      }
      return out;
    }
    case 'map': {
      if (node.kind !== 'map') return wrongType(ctx, node, path);
      const out = new Map<string, unknown>();
      for (const entry of node.entries) {
        const value = decode(entry.value, schema.of, `${path}.${entry.key}`, ctx);
        out.set(entry.key, value ?? {});
      }
      return out;
    }
  }
}

function text(node: YScalar, ctx: Ctx): string {
  if (typeof node.value === 'string') return node.value;
  ctx.converted += 1;
  return ctx.mode === 'go' ? goSprint(node.value) : node.text;
}

function isNull(node: YNode): boolean {
  return node.kind === 'scalar' && node.value === null;
}

function zeroOf(schema: Schema): unknown {
  if (schema.kind === 'string' || schema.kind === 'url') return '';
  if (schema.kind === 'bool') return false;
  if (schema.kind === 'struct') return {};
  return undefined;
}


function wrongType(ctx: Ctx, node: YNode, path: string, message = 'wrong type for this field'): undefined {
  ctx.typeErrors += 1;
  // The reference names the error by the key (or list entry) that starts on the offending line.
  report(ctx, () => findKeyAtLine(ctx.root, node.line) || path, message, node.line);
  return undefined;
}

function unknownField(ctx: Ctx, name: string, path: string, line: number, topLevel = false): void {
  report(ctx, () => (topLevel ? path : findKeyAtLine(ctx.root, line) || path), `unknown field "${name}"`, line);
}

function report(ctx: Ctx, key: () => string, message: string, line: number): void {
  if (ctx.problems.length < MAX_PROBLEMS) {
    // Column 1 like the reference: its decoder reports lines only.
    ctx.problems.push({ key: key(), message, line, column: 1 });
  } else if (ctx.problems.length === MAX_PROBLEMS) {
    ctx.problems.push({ key: '', message: `more than ${MAX_PROBLEMS} wrongly typed or unknown keys; the rest are not listed`, line, column: 1 });
  }
}
