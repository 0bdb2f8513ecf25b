import type { PageEntry } from './apply-page.service';

/** 200 entries a page: a page of 2–8 KiB entries is ≈ 1 MiB, applied in one transaction of well under a second. */
export const PAGE_LIMIT = 200;

/** Each entry with the size of its JSON text: the entry cap is checked before anything else reads it. */
export function sized(entries: unknown[]): PageEntry[] {
  return entries.map((value) => ({ value, size: Buffer.byteLength(JSON.stringify(value) ?? '') }));
}
