import { compareCodePoints } from './term-index';

/** What a hit needs of its entry: the id (to read its row), and the ranking key (boost in millionths, slug). */
export type RankedDoc = { id: string; slug: string; boost: number };

const ID_BYTES = 16;

/**
 * The index's entries by slot, in columns: the id as 16 bytes, the boost, the organisation as a
 * number into a list of the organisations seen, and the slug. At 100 000 entries one object, one
 * id string and one Map entry per entry took about 15 MB of heap; these columns take 3 MB besides
 * the slugs. A base entry is found by its id through a binary search of the ids in byte order; an
 * entry written since (a recent slot) through a small Map.
 */
export class DocTable {
  private readonly ids: Uint8Array;
  private readonly boosts: Int32Array;
  private readonly organisationOf: Uint32Array;
  private readonly slugs: string[] = [];
  private readonly organisations: string[] = [];
  private readonly organisationNumber = new Map<string, number>();
  /** Base slots in the byte order of their ids (built by `seal`). */
  private byId = new Uint32Array(0);
  private readonly recent = new Map<string, number>();
  private sealed = false;

  constructor(readonly capacity: number) {
    this.ids = new Uint8Array(capacity * ID_BYTES);
    this.boosts = new Int32Array(capacity);
    this.organisationOf = new Uint32Array(capacity);
  }

  get size(): number {
    return this.slugs.length;
  }

  /** Appends an entry; its slot is the size before. After `seal`, the entry is a recent one. */
  push(doc: RankedDoc & { organisationId: string }): number {
    const slot = this.slugs.length;
    writeUuid(doc.id, this.ids, slot * ID_BYTES);
    this.boosts[slot] = doc.boost;
    this.slugs.push(doc.slug);
    let organisation = this.organisationNumber.get(doc.organisationId);
    if (organisation === undefined) {
      organisation = this.organisations.length;
      this.organisations.push(doc.organisationId);
      this.organisationNumber.set(doc.organisationId, organisation);
    }
    this.organisationOf[slot] = organisation;
    if (this.sealed) this.recent.set(doc.id, slot);
    return slot;
  }

  /** Ends the base: its entries are found by id from now on. */
  seal(): void {
    const order = Array.from({ length: this.size }, (_, i) => i);
    order.sort((a, b) => this.compareIds(a, b));
    this.byId = Uint32Array.from(order);
    this.sealed = true;
  }

  /** The slot an id was last given: a recent one, else its base slot (which may have left since). */
  slotOf(id: string): number | undefined {
    const recent = this.recent.get(id);
    if (recent !== undefined) return recent;
    const key = new Uint8Array(ID_BYTES);
    writeUuid(id, key, 0);
    let lo = 0;
    let hi = this.byId.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const order = this.compareKey(this.byId[mid]!, key);
      if (order === 0) return this.byId[mid];
      if (order < 0) lo = mid + 1;
      else hi = mid;
    }
    return undefined;
  }

  /** Forgets a recent slot of an id (a deleted entry). */
  forget(id: string): void {
    this.recent.delete(id);
  }

  id(slot: number): string {
    return readUuid(this.ids, slot * ID_BYTES);
  }

  slug(slot: number): string {
    return this.slugs[slot]!;
  }

  boost(slot: number): number {
    return this.boosts[slot]!;
  }

  organisation(slot: number): string {
    return this.organisations[this.organisationOf[slot]!]!;
  }

  ranked(slot: number): RankedDoc {
    return { id: this.id(slot), slug: this.slug(slot), boost: this.boost(slot) };
  }

  /** Ranking order: boost descending, slug ascending (the SQL's ORDER BY boost DESC, slug). */
  compare(a: number, b: number): number {
    return this.boosts[b]! - this.boosts[a]! || compareCodePoints(this.slugs[a]!, this.slugs[b]!);
  }

  /** Whether the slot ranks after (boost, slug). */
  after(slot: number, key: { boost: number; slug: string }): boolean {
    const boost = this.boosts[slot]!;
    return boost < key.boost || (boost === key.boost && compareCodePoints(this.slugs[slot]!, key.slug) > 0);
  }

  private compareIds(a: number, b: number): number {
    const { ids } = this;
    for (let i = 0; i < ID_BYTES; i++) {
      const d = ids[a * ID_BYTES + i]! - ids[b * ID_BYTES + i]!;
      if (d !== 0) return d;
    }
    return 0;
  }

  private compareKey(slot: number, key: Uint8Array): number {
    for (let i = 0; i < ID_BYTES; i++) {
      const d = this.ids[slot * ID_BYTES + i]! - key[i]!;
      if (d !== 0) return d;
    }
    return 0;
  }
}

const HEX = '0123456789abcdef';

/** A UUID's 32 hex digits as 16 bytes at `at` (dashes skipped; upper or lower case). */
function writeUuid(id: string, target: Uint8Array, at: number): void {
  const hex = id.replace(/-/g, '');
  if (hex.length !== 32) throw new Error(`not a UUID: ${id}`);
  for (let i = 0; i < ID_BYTES; i++) target[at + i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
}

function readUuid(source: Uint8Array, at: number): string {
  let out = '';
  for (let i = 0; i < ID_BYTES; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) out += '-';
    const byte = source[at + i]!;
    out += HEX[byte >> 4]! + HEX[byte & 15]!;
  }
  return out;
}
