import type { Executor } from '../../db/client';
import { findFederationRecord } from '../../db/queries/federation-log.queries';
import { provenanceOf, type OriginFilter, type ProvenanceColumns } from '../../db/queries/federation-provenance.queries';
import type { FederatedType } from '../../db/schema/federation';
import { BadRequest } from '../../lib/errors';
import { refused } from '../../lib/refusals';

/** Where a record comes from: `local` (this hub is its origin) or the origin hub's id, and when we last received it. */
export type Provenance = { origin: string; receivedAt: string | null };

export const LOCAL: Provenance = { origin: 'local', receivedAt: null };

/**
 * Adds `provenance` to every item of a page or list with one lookup for all of them (not one per
 * item): the API shows each software, organisation, release and reuse with its origin hub.
 */
export async function withProvenance<T extends { id: string }>(db: Executor, type: FederatedType, items: T[]): Promise<(T & { provenance: Provenance })[]> {
  const byId = await provenanceById(db, type, items.map((item) => item.id));
  return items.map((item) => ({ ...item, provenance: byId.get(item.id)! }));
}

/** The provenance of each of these records, in one lookup. */
export async function provenanceById(db: Executor, type: FederatedType, ids: string[]): Promise<Map<string, Provenance>> {
  const mirrored = new Map((await provenanceOf(db, type, ids)).map((row) => [row.recordId, provenanceFrom(row)]));
  return new Map(ids.map((id) => [id, mirrored.get(id) ?? LOCAL]));
}

/** A record's federation_record columns (null: it has no row) as its provenance: local unless an origin hub is recorded. */
export function provenanceFrom(columns: ProvenanceColumns | null): Provenance {
  if (!columns?.originHub) return LOCAL;
  return { origin: columns.originHub, receivedAt: columns.receivedAt?.toISOString() ?? null };
}

/** One record's provenance attached (detail answers and writes). */
export async function oneWithProvenance<T extends { id: string }>(db: Executor, type: FederatedType, item: T): Promise<T & { provenance: Provenance }> {
  return (await withProvenance(db, type, [item]))[0]!;
}

/**
 * `origin=local|<hub id>` as the filter it stands for. The route schema already refuses what is
 * neither; a hub id is compared as peers store it (the descriptor's id, without a trailing slash).
 */
export function parseOrigin(origin: string | undefined): OriginFilter | undefined {
  if (origin === undefined) return undefined;
  if (origin === 'local') return 'local';
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    throw new BadRequest(`"${origin}" is neither "local" nor a hub id (the hub's base URL).`, [{ field: 'origin', message: 'must be local or a hub id' }]);
  }
  return { hub: url.href.replace(/\/+$/, '') };
}

/**
 * Records are origin-authoritative (design, principle 2): a mirrored record changes only at the
 * hub it comes from, so a local edit is refused with the hub to turn to. One indexed lookup; a
 * hub without federation has no rows and every record is local.
 */
export async function assertLocalRecord(db: Executor, type: FederatedType, recordId: string, detail?: (originHub: string) => string): Promise<void> {
  const state = await findFederationRecord(db, { type, recordId });
  if (state?.originHub) {
    const hub = state.originHub;
    throw refused(409, 'federation.record_not_local', detail?.(hub) ?? `This ${type} comes from the hub ${hub} and can only be changed there (Dieser Eintrag stammt vom Hub ${hub} und wird nur dort geändert).`);
  }
}
