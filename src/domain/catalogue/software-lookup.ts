import type { Executor } from '../../db/client';
import { findSoftware, type SoftwareRow } from '../../db/queries/software.queries';
import { NotFound } from '../../lib/errors';
import { isUuid } from '../../lib/slug';

export async function getSoftwareRow(db: Executor, idOrSlug: string) {
  const row = await findSoftware(db, isUuid(idOrSlug) ? { id: idOrSlug.toLowerCase() } : { slug: idOrSlug });
  if (!row) throw new NotFound('Software', idOrSlug);
  return row;
}

/** A software entry as a caller names it (id or slug), or as it has already loaded it. */
export type SoftwareRef = string | Pick<SoftwareRow, 'id' | 'slug' | 'name'>;

/**
 * The entry a ref names: read by id or slug, or taken as given when the caller loaded it already
 * (the software page reads the entry once, then its reuses, reports, transfer package, needs and
 * releases by its id, instead of each of them reading the entry again by slug).
 */
export async function softwareOf(db: Executor, ref: SoftwareRef) {
  return typeof ref === 'string' ? getSoftwareRow(db, ref) : ref;
}
