import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DocTable } from '../../src/domain/search/index/doc-table';

describe('the search index keeps its entries in columns', () => {
  const entries = Array.from({ length: 2000 }, (_, i) => ({
    id: randomUUID(),
    slug: `eintrag-${String(i % 700).padStart(4, '0')}-${i}`,
    boost: (i * 7919) % 1_000_000,
    organisationId: `org-${i % 13}`,
  }));

  function built() {
    const table = new DocTable(entries.length + 10);
    for (const entry of entries) table.push(entry);
    table.seal();
    return table;
  }

  it('gives back each entry as it was added, and finds its slot by id', () => {
    const table = built();
    entries.forEach((entry, slot) => {
      expect(table.ranked(slot)).toEqual({ id: entry.id, slug: entry.slug, boost: entry.boost });
      expect(table.organisation(slot)).toBe(entry.organisationId);
      expect(table.slotOf(entry.id)).toBe(slot);
    });
    expect(table.slotOf(randomUUID())).toBeUndefined();
    expect(table.slotOf(entries[5]!.id.toUpperCase())).toBe(5);
  });

  it('finds an entry written after the base at its new slot until it is forgotten', () => {
    const table = built();
    const changed = entries[42]!;
    const slot = table.push({ ...changed, slug: 'umbenannt' });
    expect(slot).toBe(entries.length);
    expect(table.slotOf(changed.id)).toBe(slot);
    table.forget(changed.id);
    // The base slot is what remains; the index has taken it out of `alive` by then.
    expect(table.slotOf(changed.id)).toBe(42);
    const added = { id: randomUUID(), slug: 'neu', boost: 3, organisationId: 'org-new' };
    const addedSlot = table.push(added);
    expect(table.slotOf(added.id)).toBe(addedSlot);
    table.forget(added.id);
    expect(table.slotOf(added.id)).toBeUndefined();
  });

  it('orders by boost descending, then slug in code point order', () => {
    const table = built();
    const slots = entries.map((_, slot) => slot).sort((a, b) => table.compare(a, b));
    const expected = [...entries].sort((a, b) => b.boost - a.boost || (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0));
    expect(slots.map((slot) => table.slug(slot))).toEqual(expected.map((e) => e.slug));
    const middle = expected[1000]!;
    expect(table.after(slots[1001]!, middle)).toBe(true);
    expect(table.after(slots[999]!, middle)).toBe(false);
    expect(table.after(slots[1000]!, middle)).toBe(false);
  });
});
