import type { Executor } from '../../db/client';
import { findSoftware } from '../../db/queries/software.queries';
import { NotFound } from '../../lib/errors';
import { isUuid } from '../../lib/slug';

export async function getSoftwareRow(db: Executor, idOrSlug: string) {
  const row = await findSoftware(db, isUuid(idOrSlug) ? { id: idOrSlug.toLowerCase() } : { slug: idOrSlug });
  if (!row) throw new NotFound('Software', idOrSlug);
  return row;
}
