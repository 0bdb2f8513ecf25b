import { Readable } from 'node:stream';
import { StreamWriter, type Quad, type Term } from 'n3';
import { PREFIXES } from './dcat-graph';

/**
 * Turtle, written by n3's StreamWriter as the quads arrive: a page of entries at a time, so a
 * catalogue of any size never sits in memory as one string. Backpressure flows from the reply
 * through the writer to the page source, which reads the next page only when asked.
 */
export function turtleStream(chunks: AsyncIterable<Quad[]>): Readable {
  async function* quads() {
    for await (const chunk of chunks) yield* chunk;
  }
  const writer = new StreamWriter({ prefixes: PREFIXES });
  const source = Readable.from(quads());
  source.on('error', (error) => writer.destroy(error));
  return source.pipe(writer) as unknown as Readable;
}

const CONTEXT = { '@context': PREFIXES };

/**
 * JSON-LD in flattened form with a fixed context (the Turtle prefixes): each chunk's quads are
 * grouped into node objects by subject, and each node is written as it is made. A node met in
 * several chunks (a publisher on many pages) is several node objects with one @id, which JSON-LD
 * merges when read.
 */
export function jsonLdStream(chunks: AsyncIterable<Quad[]>): Readable {
  async function* text() {
    const head = JSON.stringify(CONTEXT);
    yield `${head.slice(0, -1)},"@graph":[\n`;
    let first = true;
    for await (const chunk of chunks) {
      const nodes = nodesOf(chunk);
      if (nodes.length === 0) continue;
      yield `${first ? '' : ',\n'}${nodes.map((node) => JSON.stringify(node)).join(',\n')}`;
      first = false;
    }
    yield '\n]}\n';
  }
  return Readable.from(text());
}

type NodeObject = Record<string, unknown> & { '@id': string };

function nodesOf(quads: Quad[]): NodeObject[] {
  const nodes = new Map<string, NodeObject>();
  for (const q of quads) {
    const id = idOf(q.subject);
    let node = nodes.get(id);
    if (!node) {
      node = { '@id': id };
      nodes.set(id, node);
    }
    const [key, value] = q.predicate.value === `${PREFIXES.rdf}type` ? ['@type', compact(q.object.value)] : [compact(q.predicate.value), valueOf(q.object)];
    const values = (node[key] ??= []) as unknown[];
    values.push(value);
  }
  return [...nodes.values()];
}

function idOf(node: Term): string {
  return node.termType === 'BlankNode' ? `_:${node.value}` : node.value;
}

function valueOf(object: Term): unknown {
  if (object.termType !== 'Literal') return { '@id': idOf(object) };
  if (object.language) return { '@value': object.value, '@language': object.language };
  if (object.datatype.value === `${PREFIXES.xsd}string`) return object.value;
  return { '@value': object.value, '@type': compact(object.datatype.value) };
}

/** `http://purl.org/dc/terms/title` → `dct:title` under the fixed context. */
function compact(iri: string): string {
  for (const [prefix, namespace] of Object.entries(PREFIXES)) {
    if (iri.startsWith(namespace) && iri.length > namespace.length) return `${prefix}:${iri.slice(namespace.length)}`;
  }
  return iri;
}
