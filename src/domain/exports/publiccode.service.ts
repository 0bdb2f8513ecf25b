import { stringify } from 'yaml';
import type { Executor } from '../../db/client';
import { findOrganisation } from '../../db/queries/organisations.queries';
import { getSoftwareRow } from '../catalogue/software-lookup';
import { publiccodeDocument } from './publiccode-export';

/** GET /v1/software/{id}/publiccode.yml: the entry as a publiccode.yml (YAML text). */
export async function exportPubliccode(db: Executor, idOrSlug: string): Promise<{ slug: string; yaml: string }> {
  const row = await getSoftwareRow(db, idOrSlug);
  const organisation = await findOrganisation(db, { id: row.organisationId });
  const document = publiccodeDocument(row, { name: organisation?.name ?? row.name, website: organisation?.website ?? null });
  // lineWidth 0: long descriptions stay one scalar line each instead of folded at 80 columns.
  return { slug: row.slug, yaml: stringify(document, { lineWidth: 0 }) };
}
