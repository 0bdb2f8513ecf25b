import type { Db } from '../../db/client';
import { catalogueCounts, listProgrammeOrganisations, listPublishedSoftwareOf } from '../../db/queries/overview.queries';

/** What the hub holds, in three numbers (start page). */
export async function getCatalogueCounts(db: Db) {
  return catalogueCounts(db);
}

/** A programme's participants with their published software: two statements, whatever the size. */
export async function getProgrammeOverview(db: Db, programme: string) {
  const participants = await listProgrammeOrganisations(db, programme);
  const published = await listPublishedSoftwareOf(db, participants.map((p) => p.id));
  const byOrganisation = new Map<string, { slug: string; name: string }[]>();
  for (const row of published) byOrganisation.set(row.organisationId, [...(byOrganisation.get(row.organisationId) ?? []), { slug: row.slug, name: row.name }]);
  return participants.map((p) => ({ ...p, software: byOrganisation.get(p.id) ?? [] }));
}
