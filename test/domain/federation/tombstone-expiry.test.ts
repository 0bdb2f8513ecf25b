import { describe, expect, it } from 'vitest';
import { TOMBSTONE_RETENTION_DAYS } from '../../../src/domain/federation/feed.service';
import { announcedRetentionDays, MAX_ANNOUNCED_RETENTION_DAYS, receivedTombstoneRetentionDays } from '../../../src/domain/federation/tombstone-expiry';

describe('how long a received tombstone is kept', () => {
  it('is the longer of our retention and the one its origin announces', () => {
    expect(receivedTombstoneRetentionDays(null)).toBe(TOMBSTONE_RETENTION_DAYS);
    expect(receivedTombstoneRetentionDays(30)).toBe(TOMBSTONE_RETENTION_DAYS);
    expect(receivedTombstoneRetentionDays(120)).toBe(120);
  });

  it('takes from a descriptor only a whole number of days, at most ten years', () => {
    expect(announcedRetentionDays({ tombstoneRetentionDays: 120 })).toBe(120);
    expect(announcedRetentionDays({ tombstoneRetentionDays: 1e12 })).toBe(MAX_ANNOUNCED_RETENTION_DAYS);
    for (const days of [0, -5, 1.5, '120', null, Number.NaN, Number.POSITIVE_INFINITY]) expect(announcedRetentionDays({ tombstoneRetentionDays: days }), String(days)).toBeNull();
    expect(announcedRetentionDays({})).toBeNull();
    expect(announcedRetentionDays(null)).toBeNull();
  });
});
