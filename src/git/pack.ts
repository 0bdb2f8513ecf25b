import { createHash } from 'node:crypto';
import { createInflate, inflateSync } from 'node:zlib';
import type { MemoryBudget } from './memory-budget';

export type ObjectType = 'commit' | 'tree' | 'blob' | 'tag';
export type GitObject = { type: ObjectType; data: Buffer };
/** Objects of one fetch by id; objects above the blob limit are known only by type and size. */
export type ObjectStore = { objects: Map<string, GitObject>; oversized: Map<string, { type: ObjectType; size: number }> };

const TYPES: Record<number, ObjectType> = { 1: 'commit', 2: 'tree', 3: 'blob', 4: 'tag' };
const OFS_DELTA = 6;
const REF_DELTA = 7;

export function objectId(type: ObjectType, data: Buffer): string {
  return createHash('sha1').update(`${type} ${data.length}\0`).update(data).digest('hex');
}

function varint(delta: Buffer, start: number): [number, number] {
  let pos = start;
  let value = 0;
  let shift = 0;
  let byte: number;
  do {
    byte = delta[pos++]!;
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80);
  return [value, pos];
}

/** Applies a git delta (copy/insert instructions) to its base. */
export function applyDelta(base: Buffer, delta: Buffer): Buffer {
  const [, afterBase] = varint(delta, 0);
  const [size, afterSize] = varint(delta, afterBase);
  let pos = afterSize;
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  while (pos < delta.length) {
    const op = delta[pos++]!;
    if (op & 0x80) {
      let offset = 0;
      let length = 0;
      for (let i = 0; i < 4; i++) if (op & (1 << i)) offset |= delta[pos++]! << (8 * i);
      for (let i = 0; i < 3; i++) if (op & (1 << (4 + i))) length |= delta[pos++]! << (8 * i);
      if (length === 0) length = 0x10000;
      base.copy(out, at, offset >>> 0, (offset >>> 0) + length);
      at += length;
    } else if (op > 0) {
      delta.copy(out, at, pos, pos + op);
      at += op;
      pos += op;
    } else throw new Error('corrupt delta (opcode 0)');
  }
  if (at !== size) throw new Error('corrupt delta (size mismatch)');
  return out;
}

/**
 * Inflates an object whose declared size is above the limit without holding it: the
 * output is hashed in chunks and dropped, so a 2 GB file costs time, not memory.
 */
function skipOversized(pack: Buffer, start: number, type: ObjectType, size: number): Promise<{ consumed: number; oid: string }> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha1').update(`${type} ${size}\0`);
    const inflate = createInflate();
    inflate.on('data', (chunk: Buffer) => hash.update(chunk));
    inflate.on('error', reject);
    inflate.on('end', () => resolve({ consumed: inflate.bytesWritten, oid: hash.digest('hex') }));
    inflate.end(pack.subarray(start));
  });
}

export type ParseOptions = {
  /** Objects above this size are never materialised (hashed while streaming, known by size only). */
  maxObjectBytes: number;
  /** Every inflated object and delta result is reserved here before it is allocated. */
  budget: MemoryBudget;
};

/**
 * Parses a packfile (version 2) into objects by id. Objects whose declared size exceeds
 * maxObjectBytes are never materialised; all others are reserved in the crawl's memory
 * budget first, so a small pack of deltas that inflates to gigabytes stops at the cap instead
 * of filling memory. Deltas against objects outside the pack (thin packs) cannot occur: we
 * never send `have`s.
 */
export async function parsePack(pack: Buffer, options: ParseOptions): Promise<ObjectStore> {
  const { maxObjectBytes, budget } = options;
  if (pack.length < 32 || pack.toString('latin1', 0, 4) !== 'PACK') throw new Error('not a packfile');
  const count = pack.readUInt32BE(8);
  const store: ObjectStore = { objects: new Map(), oversized: new Map() };
  const byOffset = new Map<number, { type: ObjectType; data: Buffer } | null>();
  const pendingRef: { offset: number; base: string; delta: Buffer }[] = [];
  let pos = 12;
  for (let i = 0; i < count; i++) {
    const offset = pos;
    let byte = pack[pos++]!;
    const typeCode = (byte >> 4) & 7;
    let size = byte & 15;
    let shift = 4;
    while (byte & 0x80) {
      byte = pack[pos++]!;
      size += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    }
    let baseOffset: number | null = null;
    let baseOid: string | null = null;
    if (typeCode === OFS_DELTA) {
      byte = pack[pos++]!;
      let back = byte & 0x7f;
      while (byte & 0x80) {
        byte = pack[pos++]!;
        back = ((back + 1) << 7) | (byte & 0x7f);
      }
      baseOffset = offset - back;
    } else if (typeCode === REF_DELTA) {
      baseOid = pack.toString('hex', pos, pos + 20);
      pos += 20;
    }
    const type = TYPES[typeCode];
    if (type && size > maxObjectBytes) {
      const skipped = await skipOversized(pack, pos, type, size);
      pos += skipped.consumed;
      store.oversized.set(skipped.oid, { type, size });
      byOffset.set(offset, null);
      continue;
    }
    budget.take(size);
    const inflated = inflateSync(pack.subarray(pos), { info: true, maxOutputLength: Math.max(size, 1) }) as unknown as {
      buffer: Buffer;
      engine: { bytesWritten: number };
    };
    pos += inflated.engine.bytesWritten;
    const data = inflated.buffer;
    if (type) {
      store.objects.set(objectId(type, data), { type, data });
      byOffset.set(offset, { type, data });
    } else if (baseOffset !== null) {
      const base = byOffset.get(baseOffset);
      const resolved = base ? resolveDelta(base, data, options) : null;
      byOffset.set(offset, resolved);
      if (resolved) store.objects.set(objectId(resolved.type, resolved.data), resolved);
    } else if (baseOid !== null) {
      pendingRef.push({ offset, base: baseOid, delta: data });
    }
  }
  // REF_DELTA bases may come later in the pack; resolve until nothing changes.
  let progress = true;
  while (pendingRef.length > 0 && progress) {
    progress = false;
    for (let i = pendingRef.length - 1; i >= 0; i--) {
      const entry = pendingRef[i]!;
      const base = store.objects.get(entry.base);
      if (!base) continue;
      const resolved = resolveDelta(base, entry.delta, options);
      if (resolved) store.objects.set(objectId(resolved.type, resolved.data), resolved);
      pendingRef.splice(i, 1);
      progress = true;
    }
  }
  return store;
}

function resolveDelta(base: GitObject, delta: Buffer, options: ParseOptions): GitObject | null {
  const [, afterBase] = varint(delta, 0);
  const [size] = varint(delta, afterBase);
  // A delta can describe a huge result from a tiny input; check before allocating.
  if (size > options.maxObjectBytes) return null;
  options.budget.take(size);
  return { type: base.type, data: applyDelta(base.data, delta) };
}
