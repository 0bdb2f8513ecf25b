import type { Executor } from '../../db/client';
import { findOrganisation } from '../../db/queries/organisations.queries';
import { NotFound } from '../../lib/errors';
import { isUuid } from '../../lib/slug';

/** Every resource answers to its UUID and to its slug. */
export async function getOrganisationRow(db: Executor, idOrSlug: string) {
  const row = await findOrganisation(db, isUuid(idOrSlug) ? { id: idOrSlug.toLowerCase() } : { slug: idOrSlug });
  if (!row) throw new NotFound('Organisation', idOrSlug);
  return row;
}
