import { and, asc, count, eq, sql } from 'drizzle-orm';
import type { Executor } from '../client';
import { jsonItem, listRead, queryBuilder, softwareIdParam, type JsonRead } from '../json-read';
import { organisations } from '../schema/organisations';
import { reuseEvents, reuses, type ReuseEventKind, type ReuseStatus, type ReuseVerification } from '../schema/reuses';
import { software } from '../schema/software';
import { federationRecords } from '../schema/federation';
import {
  originCondition,
  provenanceColumns,
  provenanceJoin,
  provenanceTableOf,
  referenceProvenanceColumns,
  referenceProvenanceJoin,
  type OriginFilter,
  type ProvenanceColumns,
} from './federation-provenance.queries';
import { reusedByOther } from './reused-by-other';

export type ReuseRow = typeof reuses.$inferSelect;
export type ReuseInsert = typeof reuses.$inferInsert;
export type ReuseEventRow = typeof reuseEvents.$inferSelect;

// The software and the reusing organisation each say whether they are mirrored (a local reuse of
// mirrored software, a mirrored organisation's reuse of local software), read with the record.
const organisationRecord = provenanceTableOf('organisation_record');
const softwareRecord = provenanceTableOf('software_record');

const withNames = {
  reuse: reuses,
  organisation: { id: organisations.id, slug: organisations.slug, name: organisations.name },
  software: { id: software.id, slug: software.slug, name: software.name, organisationId: software.organisationId },
  byOther: reusedByOther(reuses.organisationId, software.organisationId),
  organisationProvenance: referenceProvenanceColumns(organisationRecord),
  softwareProvenance: referenceProvenanceColumns(softwareRecord),
};

/** Withdrawn records included (they stay visible, marked); the caller decides what counts. `origin`: only local records, or only one origin hub's. */
export async function listReuses(db: Executor, by: ({ softwareId: string } | { organisationId: string }) & { origin?: OriginFilter }) {
  const where = 'softwareId' in by ? eq(reuses.softwareId, by.softwareId) : eq(reuses.organisationId, by.organisationId);
  return db
    .select(withNames)
    .from(reuses)
    .innerJoin(organisations, eq(organisations.id, reuses.organisationId))
    .innerJoin(software, eq(software.id, reuses.softwareId))
    .leftJoin(organisationRecord, referenceProvenanceJoin(organisationRecord, 'organisation', organisations.id))
    .leftJoin(softwareRecord, referenceProvenanceJoin(softwareRecord, 'software', software.id))
    .where(and(where, by.origin ? originCondition('reuse', sql`${reuses.id}`, by.origin) : undefined))
    .orderBy(asc(reuses.createdAt), asc(reuses.id));
}

export type JoinedReuseRow = Awaited<ReturnType<typeof listReuses>>[number];

const withNamesAndProvenance = { ...withNames, provenance: provenanceColumns };

/** listReuses of one software entry (placeholder softwareId) with each record's provenance, as a read that can travel with others (the software page). */
export const reusesOfSoftwareRead: JsonRead<(JoinedReuseRow & { provenance: ProvenanceColumns | null })[]> = listRead(
    withNamesAndProvenance,
    queryBuilder
      .select(jsonItem(withNamesAndProvenance, asc(reuses.createdAt), asc(reuses.id)))
      .from(reuses)
      .innerJoin(organisations, eq(organisations.id, reuses.organisationId))
      .innerJoin(software, eq(software.id, reuses.softwareId))
      .leftJoin(organisationRecord, referenceProvenanceJoin(organisationRecord, 'organisation', organisations.id))
      .leftJoin(softwareRecord, referenceProvenanceJoin(softwareRecord, 'software', software.id))
      .leftJoin(federationRecords, provenanceJoin('reuse', reuses.id))
      .where(eq(reuses.softwareId, softwareIdParam)),
  );

export async function findReuse(db: Executor, by: { id: string } | { softwareId: string; organisationId: string }) {
  const where =
    'id' in by
      ? eq(reuses.id, by.id)
      : and(eq(reuses.softwareId, by.softwareId), eq(reuses.organisationId, by.organisationId));
  const [row] = await db
    .select(withNames)
    .from(reuses)
    .innerJoin(organisations, eq(organisations.id, reuses.organisationId))
    .innerJoin(software, eq(software.id, reuses.softwareId))
    .leftJoin(organisationRecord, referenceProvenanceJoin(organisationRecord, 'organisation', organisations.id))
    .leftJoin(softwareRecord, referenceProvenanceJoin(softwareRecord, 'software', software.id))
    .where(where)
    .limit(1);
  return row ?? null;
}

export async function insertReuse(db: Executor, values: ReuseInsert) {
  const [row] = await db.insert(reuses).values(values).returning({ id: reuses.id });
  return row!;
}

export async function updateReuse(db: Executor, id: string, values: Partial<ReuseInsert>) {
  await db.update(reuses).set({ ...values, updatedAt: new Date() }).where(eq(reuses.id, id));
}

export async function insertReuseEvent(
  db: Executor,
  values: { reuseId: string; kind: ReuseEventKind; status: ReuseStatus; actor: string; reason?: string | null },
) {
  await db.insert(reuseEvents).values(values);
}

export async function listReuseEvents(db: Executor, reuseId: string) {
  return db.select().from(reuseEvents).where(eq(reuseEvents.reuseId, reuseId)).orderBy(asc(reuseEvents.at), asc(reuseEvents.id));
}

export type ReuseCountRow = {
  softwareId: string;
  /** False for the producer itself and organisations sharing a cooperation with it (reusedByOther). */
  byOther: boolean;
  status: ReuseStatus;
  verification: ReuseVerification;
  withdrawn: boolean;
  n: number;
};

/** Reuse records of these software entries, grouped by what the counts tell apart. */
export async function countReuses(db: Executor, softwareIds: string[]): Promise<ReuseCountRow[]> {
  if (softwareIds.length === 0) return [];
  const byOther = reusedByOther(reuses.organisationId, software.organisationId);
  const withdrawn = sql<boolean>`(${reuses.withdrawnAt} IS NOT NULL)`;
  return db
    .select({ softwareId: reuses.softwareId, byOther, status: reuses.status, verification: reuses.verification, withdrawn, n: count() })
    .from(reuses)
    .innerJoin(software, eq(software.id, reuses.softwareId))
    .where(sql`${reuses.softwareId} = ANY(${sql.placeholder('ids')}::uuid[])`)
    .groupBy(reuses.softwareId, byOther, reuses.status, reuses.verification, withdrawn)
    // Named: PostgreSQL keeps the plan per connection (1.6 ms of planning per list page before).
    .prepare('th_count_reuses')
    .execute({ ids: softwareIds });
}
