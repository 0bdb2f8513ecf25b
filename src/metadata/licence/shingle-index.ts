/**
 * Word-trigram index of the licence corpus in typed arrays. A scanned text is looked up once per
 * trigram; with ~130,000 distinct trigrams a `Map` spent most of the detection time in hashing
 * and cache misses, an open-addressing table over an Int32Array does not.
 */
export type ShingleIndex = {
  /** Open-addressing table of trigram hashes; EMPTY where free. A hash's position is its slot. */
  keys: Int32Array;
  mask: number;
  /** Postings in compressed rows: entries holding slot s are entries[start[s] .. start[s + 1]). */
  start: Int32Array;
  entries: Int32Array;
};

const EMPTY = -1;

/** 30 bits, so that hashes are small integers to V8 (never boxed) and never EMPTY. */
export function shingleHash(a: number, b: number, c: number): number {
  return (Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca77) ^ Math.imul(c + 0x165667b1, 0xc2b2ae3d)) & 0x3fffffff;
}

/** Distinct trigram hashes of a word-id sequence, skipping trigrams with unknown (negative) or variable (0) words. */
export function shinglesOf(ids: ArrayLike<number>, usable?: (position: number) => boolean): Set<number> {
  const found = new Set<number>();
  for (let i = 0; i + 2 < ids.length; i += 1) {
    const a = ids[i]!;
    const b = ids[i + 1]!;
    const c = ids[i + 2]!;
    if (a <= 0 || b <= 0 || c <= 0 || (usable && !usable(i))) continue;
    found.add(shingleHash(a, b, c));
  }
  return found;
}

function probe(keys: Int32Array, mask: number, hash: number): number {
  let slot = Math.imul(hash, 0x2545f491) & mask;
  while (keys[slot] !== EMPTY && keys[slot] !== hash) slot = (slot + 1) & mask;
  return slot;
}

/** Builds the index; returns each entry's trigrams as slots. */
export function buildShingleIndex(perEntry: Set<number>[]): { index: ShingleIndex; slots: Int32Array[] } {
  const all = new Set<number>();
  for (const hashes of perEntry) for (const hash of hashes) all.add(hash);
  const distinct = all.size;
  // Load factor at most 1/2 keeps linear probes short.
  let size = 1;
  while (size < distinct * 2) size *= 2;
  const keys = new Int32Array(size).fill(EMPTY);
  const mask = size - 1;
  const counts = new Int32Array(size + 1);
  const slots = perEntry.map((hashes) => {
    const own = new Int32Array(hashes.size);
    let k = 0;
    for (const hash of hashes) {
      const slot = probe(keys, mask, hash);
      keys[slot] = hash;
      counts[slot + 1]! += 1;
      own[k] = slot;
      k += 1;
    }
    return own;
  });
  for (let s = 1; s <= size; s += 1) counts[s]! += counts[s - 1]!;
  const start = counts.slice();
  const entries = new Int32Array(start[size]!);
  const fill = start.slice(0, size);
  slots.forEach((own, entry) => {
    for (const slot of own) {
      entries[fill[slot]!] = entry;
      fill[slot]! += 1;
    }
  });
  return { index: { keys, mask, start, entries }, slots };
}

/**
 * The corpus trigrams of one scanned text: the distinct slots and, per slot, the first word
 * position. The per-slot arrays are shared between calls and told apart by a generation stamp,
 * so a scan allocates nothing proportional to the corpus.
 */
export type TextShingles = { slots: number[]; firstAt: (slot: number) => number };

let stamp = new Int32Array(0);
let first = new Int32Array(0);
let generation = 0;

export function scanText(index: ShingleIndex, ids: Int32Array): TextShingles {
  if (stamp.length !== index.keys.length) {
    stamp = new Int32Array(index.keys.length);
    first = new Int32Array(index.keys.length);
    generation = 0;
  }
  generation += 1;
  const current = generation;
  const slots: number[] = [];
  const { keys, mask } = index;
  for (let i = 0; i + 2 < ids.length; i += 1) {
    const a = ids[i]!;
    const b = ids[i + 1]!;
    const c = ids[i + 2]!;
    if (a <= 0 || b <= 0 || c <= 0) continue;
    const slot = probe(keys, mask, shingleHash(a, b, c));
    if (keys[slot] === EMPTY || stamp[slot] === current) continue;
    stamp[slot] = current;
    first[slot] = i;
    slots.push(slot);
  }
  return { slots, firstAt: (slot) => (stamp[slot] === current ? first[slot]! : -1) };
}
