import YAML, { type Document, type LineCounter, type Node as YamlNode } from 'yaml';
import { typePlainScalar, type ScalarValue } from './scalar-types.js';

/** A YAML node reduced to what validation needs, with 1-based positions of its first token. */
export type YNode = YMap | YSeq | YScalar;
export type YMap = { kind: 'map'; line: number; column: number; flow: boolean; entries: YEntry[] };
export type YEntry = { key: string; line: number; column: number; value: YNode };
export type YSeq = { kind: 'seq'; line: number; column: number; flow: boolean; items: YNode[] };
export type YScalar = {
  kind: 'scalar';
  line: number;
  column: number;
  /** Typed as the reference's YAML library types it (see scalar-types.ts). */
  value: ScalarValue;
  /** The scalar as written (after YAML unquoting/folding). */
  text: string;
};

export class TreeError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
  }
}

// publiccode.yml nests at most six levels (dependsOn.open[0].name); 64 leaves room for odd but honest files.
const MAX_DEPTH = 64;
// A publiccode.yml has a few hundred nodes; this bounds what alias copies may add on top of the source.
const MAX_NODES = 200_000;

/**
 * Copies the document into plain nodes. Aliases are replaced by copies of their anchor (the
 * reference decodes them the same way), under a node budget so that alias chains cannot explode.
 */
export function toTree(doc: Document, lines: LineCounter): YNode | null {
  let count = 0;
  const at = (node: YamlNode | null | undefined, fallback: number) => {
    const offset = node?.range?.[0] ?? fallback;
    const pos = lines.linePos(offset);
    return { line: pos.line, column: pos.col };
  };
  const convert = (node: YamlNode | null | undefined, depth: number, fallback: number): YNode => {
    count += 1;
    const pos = at(node, fallback);
    if (count > MAX_NODES) throw new TreeError(`document expands to more than ${MAX_NODES} nodes (YAML aliases?)`, pos.line, pos.column);
    if (depth > MAX_DEPTH) throw new TreeError(`nesting deeper than ${MAX_DEPTH} levels`, pos.line, pos.column);
    if (node === null || node === undefined) return { kind: 'scalar', ...pos, value: null, text: '' };
    if (YAML.isAlias(node)) {
      const target = node.resolve(doc);
      if (target === undefined) throw new TreeError(`unknown alias *${node.source}`, pos.line, pos.column);
      return { ...convert(target, depth + 1, fallback), line: pos.line, column: pos.column };
    }
    if (YAML.isMap(node)) {
      const seen = new Set<string>();
      const entries: YEntry[] = [];
      const merged: YEntry[] = [];
      for (const pair of node.items) {
        const keyNode = pair.key as YamlNode | null;
        const keyPos = at(keyNode, node.range?.[0] ?? fallback);
        const key = keyText(keyNode, doc);
        const valueNode = pair.value as YamlNode | null;
        const end = keyNode?.range?.[1] ?? node.range?.[0] ?? fallback;
        const value = convert(valueNode, depth + 1, end);
        // `<<: *anchor` merge keys, which the reference's YAML library also resolves.
        if (key === '<<' && YAML.isScalar(keyNode) && keyNode.type === 'PLAIN') {
          const sources = value.kind === 'seq' ? value.items : [value];
          for (const source of sources) if (source.kind === 'map') merged.push(...source.entries);
          continue;
        }
        // yaml's own uniqueKeys check is quadratic in the number of keys; a Set is not.
        if (seen.has(key)) throw new TreeError(`mapping key "${key}" already defined`, keyPos.line, keyPos.column);
        seen.add(key);
        entries.push({ key, ...keyPos, value });
      }
      // Keys written in the mapping itself win over merged ones, as YAML's merge key type says.
      for (const entry of merged) {
        if (seen.has(entry.key)) continue;
        seen.add(entry.key);
        entries.push(entry);
      }
      return { kind: 'map', ...pos, flow: node.flow === true, entries };
    }
    if (YAML.isSeq(node)) {
      const items = node.items.map((item) => convert(item as YamlNode | null, depth + 1, node.range?.[0] ?? fallback));
      return { kind: 'seq', ...pos, flow: node.flow === true, items };
    }
    if (YAML.isScalar(node)) {
      // Parsed with the failsafe schema, so every scalar arrives as its text and is typed here.
      const text = String(node.value);
      const typed = node.type === 'PLAIN' && (node.tag === undefined || node.tag !== 'tag:yaml.org,2002:str');
      return { kind: 'scalar', ...pos, value: typed ? typePlainScalar(text) : text, text };
    }
    throw new TreeError('unsupported YAML node', pos.line, pos.column);
  };
  if (doc.contents === null) return null;
  return convert(doc.contents as YamlNode, 0, 0);
}

/** Keys as the reference sees them: the scalar's text (`1.0` stays `1.0`), complex keys as their YAML. */
function keyText(node: YamlNode | null, doc: Document): string {
  if (node === null || node === undefined) return '';
  if (YAML.isScalar(node)) return String(node.value);
  if (YAML.isAlias(node)) return keyText(node.resolve(doc) ?? null, doc);
  return String(node);
}

/**
 * Where a key path (`a.b[0].c`, `description[en-US].features`) sits, following the reference's
 * lookup: the key token; a missing last key falls back to the first key of its mapping (or the
 * `{` of a flow mapping); a missing key in the middle gives 0,0.
 */
export function findKeyPosition(root: YNode | null, key: string): { line: number; column: number } {
  if (root === null || key === '') return { line: 0, column: 0 };
  return findPos(root, key.split('.'));
}

const NONE = { line: 0, column: 0 };

function findPos(node: YNode, parts: string[]): { line: number; column: number } {
  const [part, ...rest] = parts;
  if (part === undefined) return NONE;
  let base = part;
  let index = -1;
  let stringKey = '';
  const open = part.lastIndexOf('[');
  if (open >= 0 && part.endsWith(']')) {
    const inner = part.slice(open + 1, -1);
    if (/^[0-9]+$/.test(inner)) {
      index = Number(inner);
      base = part.slice(0, open);
    } else if (inner !== '') {
      stringKey = inner;
      base = part.slice(0, open);
    }
  }
  if (node.kind !== 'map') return { line: node.line, column: node.column };
  for (const entry of node.entries) {
    if (entry.key !== base) continue;
    if (index >= 0) {
      const value = entry.value;
      if (value.kind !== 'seq' || index >= value.items.length) return { line: entry.line, column: entry.column };
      const element = value.items[index]!;
      if (rest.length === 0) return { line: element.line, column: element.column };
      return findPos(element, rest);
    }
    if (stringKey !== '') return findPos(entry.value, [stringKey, ...rest]);
    if (rest.length === 0) return { line: entry.line, column: entry.column };
    return findPos(entry.value, rest);
  }
  if (node.flow) return { line: node.line, column: node.column };
  if (rest.length === 0 && node.entries.length > 0) return { line: node.entries[0]!.line, column: node.entries[0]!.column };
  return NONE;
}

/** The key path whose key (or sequence entry) starts on `line`; how the reference names decode errors. */
export function findKeyAtLine(node: YNode, line: number, prefix = ''): string {
  if (node.kind === 'map') {
    for (const entry of node.entries) {
      const full = prefix === '' ? entry.key : `${prefix}.${entry.key}`;
      if (entry.line === line) return full;
      const found = findKeyAtLine(entry.value, line, full);
      if (found !== '') return found;
    }
  } else if (node.kind === 'seq') {
    for (const [i, item] of node.items.entries()) {
      const key = `${prefix}[${i}]`;
      if (item.line === line) return key;
      const found = findKeyAtLine(item, line, key);
      if (found !== '') return found;
    }
  }
  return '';
}
