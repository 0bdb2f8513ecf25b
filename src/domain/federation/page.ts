import type { PageEntry } from './apply-page.service';

/** 200 entries a page: a page of 2–8 KiB entries is ≈ 1 MiB, applied in one transaction of well under a second. */
export const PAGE_LIMIT = 200;

/**
 * 1,000 records a snapshot page, the most a hub serves (feed.service MAX_PAGE_SIZE): a bootstrap
 * of 100,000 software pays its per-page costs (a signed round trip, one transaction, the set
 * queries of page-prefetch) 5× less often than at 200. Catalogue entries are ~3 KiB (at most 3.9
 * KiB in a seeded catalogue of 10,000), so a page is ~3 MiB, within the 8 MiB page cap; a page
 * over the cap is asked for again at PAGE_LIMIT (snapshot.service).
 */
export const SNAPSHOT_PAGE_LIMIT = 1000;

/** The snapshot page size to ask a peer for: ours, or less if its descriptor announces a smaller maximum. */
export function snapshotPageLimit(descriptor: Record<string, unknown> | null | undefined): number {
  const max = descriptor?.maxPageSize;
  return typeof max === 'number' && Number.isInteger(max) && max > 0 ? Math.min(SNAPSHOT_PAGE_LIMIT, max) : SNAPSHOT_PAGE_LIMIT;
}

/** Each entry with the size of its JSON text: the entry cap is checked before anything else reads it. */
export function sized(entries: unknown[]): PageEntry[] {
  return entries.map((value) => ({ value, size: Buffer.byteLength(JSON.stringify(value) ?? '') }));
}
