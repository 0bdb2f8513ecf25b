import type { PageEntry } from './apply-page.service';
import { announcedCount } from './descriptor';
import { MAX_PAGE_SIZE } from './feed.service';

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

/**
 * The largest `maxPageSize` of a peer's descriptor we store: the wire's own bound on `limit`
 * (1..1000, MAX_PAGE_SIZE, what our changes and snapshot endpoints accept). We never ask for more
 * than SNAPSHOT_PAGE_LIMIT, which is not above it, so a larger announcement would act the same;
 * the cap keeps a mistaken or hostile value (1e308) out of the peer row.
 */
export const MAX_ANNOUNCED_PAGE_SIZE = MAX_PAGE_SIZE;

type Descriptor = Record<string, unknown> | null | undefined;

/** A descriptor's `maxPageSize` if it is a positive whole number (at most MAX_ANNOUNCED_PAGE_SIZE), else null: none announced. */
export function announcedMaxPageSize(descriptor: Descriptor): number | null {
  return announcedCount(descriptor, 'maxPageSize', MAX_ANNOUNCED_PAGE_SIZE);
}

/** Our page size, or less if the peer's descriptor (as stored when it was pinned) announces a smaller maximum. */
function pageLimitFor(descriptor: Descriptor, ours: number): number {
  const max = announcedMaxPageSize(descriptor);
  return max === null ? ours : Math.min(ours, max);
}

/** The snapshot page size to ask a peer for. */
export const snapshotPageLimit = (descriptor: Descriptor) => pageLimitFor(descriptor, SNAPSHOT_PAGE_LIMIT);

/** The changes page size to ask a peer for (also a snapshot page asked for again because it was too large). */
export const changesPageLimit = (descriptor: Descriptor) => pageLimitFor(descriptor, PAGE_LIMIT);

/** Each entry with the size of its JSON text: the entry cap is checked before anything else reads it. */
export function sized(entries: unknown[]): PageEntry[] {
  return entries.map((value) => ({ value, size: Buffer.byteLength(JSON.stringify(value) ?? '') }));
}
