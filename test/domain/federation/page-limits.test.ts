import { describe, expect, it } from 'vitest';
import { announcedMaxPageSize, changesPageLimit, MAX_ANNOUNCED_PAGE_SIZE, PAGE_LIMIT, SNAPSHOT_PAGE_LIMIT, snapshotPageLimit } from '../../../src/domain/federation/page';

describe('the page size asked of a peer', () => {
  it('is ours, or the smaller maximum its descriptor announces', () => {
    expect(snapshotPageLimit(null)).toBe(SNAPSHOT_PAGE_LIMIT);
    expect(changesPageLimit(null)).toBe(PAGE_LIMIT);
    expect(snapshotPageLimit({ maxPageSize: 500 })).toBe(500);
    expect(changesPageLimit({ maxPageSize: 500 })).toBe(PAGE_LIMIT);
    expect(snapshotPageLimit({ maxPageSize: 7 })).toBe(7);
    expect(changesPageLimit({ maxPageSize: 7 })).toBe(7);
    expect(snapshotPageLimit({ maxPageSize: 5000 })).toBe(SNAPSHOT_PAGE_LIMIT);
  });

  it('takes from a descriptor only a positive whole number, at most the largest page the wire allows', () => {
    // The same check as the announced tombstone retention (announcedCount, tested with every kind of wrong value there).
    expect(announcedMaxPageSize({ maxPageSize: 1 })).toBe(1);
    expect(announcedMaxPageSize({ maxPageSize: 1e308 })).toBe(MAX_ANNOUNCED_PAGE_SIZE);
    expect(announcedMaxPageSize({ maxPageSize: '50', tombstoneRetentionDays: 50 })).toBeNull();
    expect([0, 2.5, Number.NaN].map((size) => changesPageLimit({ maxPageSize: size }))).toEqual([PAGE_LIMIT, PAGE_LIMIT, PAGE_LIMIT]);
  });
});
