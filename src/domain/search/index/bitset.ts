/**
 * A set of document slots as bits (32 per word): the unit the in-process index combines query
 * words, tiers and filters with. 100 000 slots are 12.5 KB; AND/OR over them is a few microseconds.
 */
export class Bitset {
  readonly words: Uint32Array;

  constructor(readonly size: number, words?: Uint32Array) {
    this.words = words ?? new Uint32Array((size + 31) >>> 5);
  }

  static of(size: number, slots: Iterable<number>): Bitset {
    const set = new Bitset(size);
    for (const slot of slots) set.add(slot);
    return set;
  }

  add(slot: number): void {
    this.words[slot >>> 5]! |= 1 << (slot & 31);
  }

  remove(slot: number): void {
    this.words[slot >>> 5]! &= ~(1 << (slot & 31));
  }

  has(slot: number): boolean {
    return (this.words[slot >>> 5]! & (1 << (slot & 31))) !== 0;
  }

  clone(): Bitset {
    return new Bitset(this.size, this.words.slice());
  }

  /** In place; a shorter other set counts as zeros beyond its end. */
  and(other: Bitset): this {
    const n = Math.min(this.words.length, other.words.length);
    for (let i = 0; i < n; i++) this.words[i]! &= other.words[i]!;
    this.words.fill(0, n);
    return this;
  }

  or(other: Bitset): this {
    const n = Math.min(this.words.length, other.words.length);
    for (let i = 0; i < n; i++) this.words[i]! |= other.words[i]!;
    return this;
  }

  andNot(other: Bitset): this {
    const n = Math.min(this.words.length, other.words.length);
    for (let i = 0; i < n; i++) this.words[i]! &= ~other.words[i]!;
    return this;
  }

  isEmpty(): boolean {
    for (let i = 0; i < this.words.length; i++) if (this.words[i] !== 0) return false;
    return true;
  }

  count(): number {
    let total = 0;
    for (let i = 0; i < this.words.length; i++) total += popcount(this.words[i]!);
    return total;
  }

  /** Count of the intersection without building it. */
  countAnd(other: Bitset): number {
    const n = Math.min(this.words.length, other.words.length);
    let total = 0;
    for (let i = 0; i < n; i++) total += popcount(this.words[i]! & other.words[i]!);
    return total;
  }

  forEach(visit: (slot: number) => void): void {
    for (let i = 0; i < this.words.length; i++) {
      let word = this.words[i]!;
      while (word !== 0) {
        const bit = word & -word;
        visit((i << 5) + 31 - Math.clz32(bit));
        word ^= bit;
      }
    }
  }
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}
