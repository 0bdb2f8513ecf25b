import { and, eq, isNotNull, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Executor } from '../client';
import { federationRecords, type FederatedType } from '../schema';

/**
 * Where the records shown by the API come from (issue 15: provenance visible to users). Only
 * mirrored records have a federation_record row naming an origin hub; a local record has none or
 * one with origin_hub null, so a hub without federation answers from an empty table.
 */

/** Mirrored records' provenance for a page of local ids: one statement per page (primary key (type, record_id)). */
export async function provenanceOf(db: Executor, type: FederatedType, recordIds: string[]) {
  if (recordIds.length === 0) return [];
  return db
    .select({ recordId: federationRecords.recordId, originHub: federationRecords.originHub, receivedAt: federationRecords.receivedAt })
    .from(federationRecords)
    .where(and(eq(federationRecords.type, sql.placeholder('type')), sql`${federationRecords.recordId} = ANY(${sql.placeholder('ids')}::uuid[])`, isNotNull(federationRecords.originHub)))
    // Named: one plan per connection, whatever the page size (an IN list was a new text per size).
    .prepare('th_provenance_of')
    .execute({ type, ids: recordIds });
}

/**
 * A record's origin hub and when we last received it, as columns of a read of its rows (the
 * software page's lists travel as one statement: their provenance comes with their rows instead
 * of a statement of its own). Left-join federation_record on provenanceJoin; a record without a
 * row there gives null (local).
 */
export const provenanceColumns = referenceProvenanceColumns(federationRecords);
export type ProvenanceColumns = { originHub: string | null; receivedAt: Date | null };

/** The join condition of provenanceColumns: federation_record's primary key, one probe per row. */
export function provenanceJoin(type: FederatedType, recordId: AnyColumn): SQL {
  return referenceProvenanceJoin(federationRecords, type, recordId);
}

/**
 * federation_record once more under its own name, for the records a row names besides its own (a
 * software entry's organisation, a reuse record's software and organisation): each reference says
 * whether it is mirrored, read with the row instead of in a statement of its own.
 */
export function provenanceTableOf(name: string) {
  return alias(federationRecords, name);
}
/** federation_record itself (a row's own record) or a provenanceTableOf (a record it names). */
type ProvenanceTable = typeof federationRecords | ReturnType<typeof provenanceTableOf>;

/** provenanceColumns of a provenanceTableOf. */
export function referenceProvenanceColumns(table: ProvenanceTable) {
  return { originHub: table.originHub, receivedAt: table.receivedAt };
}

/** provenanceJoin for a provenanceTableOf: the referenced record's row, one primary-key probe per row. */
export function referenceProvenanceJoin(table: ProvenanceTable, type: FederatedType, recordId: AnyColumn): SQL {
  return sql`${table.type} = ${sql.raw(`'${type}'`)} AND ${table.recordId} = ${recordId}`;
}

/** `origin=local` or `origin=<hub id>` of the list and search filters. */
export type OriginFilter = 'local' | { hub: string };

/**
 * The origin filter as a condition on a row whose id is `recordId`: a probe of federation_record's
 * primary key per row. `local`: no origin hub recorded; a hub id: that origin hub. (The search
 * document carries the origin hub of its entry itself, migration 0021.)
 */
export function originCondition(type: FederatedType, recordId: SQL, origin: OriginFilter): SQL {
  const mirrored = sql`SELECT 1 FROM federation_record fr WHERE fr.type = ${sql.raw(`'${type}'`)} AND fr.record_id = ${recordId}`;
  if (origin === 'local') return sql`NOT EXISTS (${mirrored} AND fr.origin_hub IS NOT NULL)`;
  return sql`EXISTS (${mirrored} AND fr.origin_hub = ${origin.hub})`;
}
