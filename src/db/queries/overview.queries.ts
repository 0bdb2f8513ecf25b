import { and, asc, count, eq, inArray, ne } from 'drizzle-orm';
import type { Executor } from '../client';
import { organisations } from '../schema/organisations';
import { reuses } from '../schema/reuses';
import { software } from '../schema/software';

/** The start page's numbers: listed software, organisations, reuses in use (not retired). */
export async function catalogueCounts(db: Executor) {
  const [[sw], [orgs], [used]] = await Promise.all([
    db.select({ n: count() }).from(software).where(and(eq(software.active, true), eq(software.listed, true))),
    db.select({ n: count() }).from(organisations),
    db.select({ n: count() }).from(reuses).where(ne(reuses.status, 'retired')),
  ]);
  return { software: sw?.n ?? 0, organisations: orgs?.n ?? 0, reuses: used?.n ?? 0 };
}

/** The organisations of a funding programme (MPSC: 73 rows), by state, cohort and name. */
export async function listProgrammeOrganisations(db: Executor, programme: string) {
  return db
    .select({
      id: organisations.id,
      slug: organisations.slug,
      name: organisations.name,
      kind: organisations.kind,
      state: organisations.state,
      cohortYear: organisations.cohortYear,
    })
    .from(organisations)
    .where(eq(organisations.programme, programme))
    .orderBy(asc(organisations.state), asc(organisations.cohortYear), asc(organisations.name));
}

/** Listed software of the given organisations (the programme table's last column). */
export async function listPublishedSoftwareOf(db: Executor, organisationIds: string[]) {
  if (organisationIds.length === 0) return [];
  return db
    .select({ organisationId: software.organisationId, slug: software.slug, name: software.name })
    .from(software)
    .where(and(inArray(software.organisationId, organisationIds), eq(software.active, true), eq(software.listed, true)))
    .orderBy(asc(software.name));
}
