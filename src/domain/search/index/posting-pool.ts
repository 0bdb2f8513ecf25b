/** Slots per slab: 4 MB, allocated outside the JavaScript heap and given back as a whole. */
const SLAB = 1 << 20;
const FIRST_BLOCK = 4;
const LARGEST_BLOCK = 1 << 14;

/**
 * One term's slots while an index loads: blocks of doubling size carved from the pool's slabs,
 * filled in ascending slot order.
 */
export type GrowingPosting = { count: number; last: number; blocks: Uint32Array[]; current: Uint32Array; used: number };

/**
 * Where the posting lists of a load grow. Growing them as JavaScript arrays left a copy behind at
 * every doubling, in the old generation, where V8 kept the space after the load: at 100 000
 * entries the heap peaked near 160 MB for a 48 MB index. Blocks carved from a few large typed
 * arrays are never copied while growing; the slabs are dropped together once the lists are final
 * (`finish` copies each into an exact Uint32Array).
 */
export class PostingPool {
  private slab = new Uint32Array(0);
  private free = 0;

  start(slot: number): GrowingPosting {
    const current = this.block(FIRST_BLOCK);
    current[0] = slot;
    return { count: 1, last: slot, blocks: [current], current, used: 1 };
  }

  push(posting: GrowingPosting, slot: number): void {
    if (posting.used === posting.current.length) {
      posting.current = this.block(Math.min(posting.current.length * 2, LARGEST_BLOCK));
      posting.blocks.push(posting.current);
      posting.used = 0;
    }
    posting.current[posting.used++] = slot;
    posting.count++;
    posting.last = slot;
  }

  /** The slots of a posting, in order. */
  static *slots(posting: GrowingPosting): Generator<number> {
    for (const block of posting.blocks) {
      const n = block === posting.current ? posting.used : block.length;
      for (let i = 0; i < n; i++) yield block[i]!;
    }
  }

  /** The posting as one exact list. */
  static finish(posting: GrowingPosting): Uint32Array {
    const list = new Uint32Array(posting.count);
    let at = 0;
    for (const block of posting.blocks) {
      const part = block === posting.current ? block.subarray(0, posting.used) : block;
      list.set(part, at);
      at += part.length;
    }
    return list;
  }

  private block(size: number): Uint32Array {
    if (this.free + size > this.slab.length) {
      this.slab = new Uint32Array(SLAB);
      this.free = 0;
    }
    const block = this.slab.subarray(this.free, this.free + size);
    this.free += size;
    return block;
  }
}
