import { countReuses, type ReuseCountRow } from '../../db/queries/reuses.queries';
import { REUSE_STATUSES, type ReuseStatus } from '../../db/schema/reuses';
import type { Executor } from '../../db/client';

/**
 * Reuse by another municipality: neither the producer itself nor an organisation sharing a
 * cooperation with it (memberKeys), not withdrawn and not retired. `selfDeclared` are records the
 * producer has not confirmed (disputed ones are counted apart, in neither).
 */
export type OtherOrganisationCounts = {
  total: number;
  confirmed: number;
  selfDeclared: number;
  disputed: number;
  production: number;
  confirmedProduction: number;
};

export type ListReuseCounts = { byOtherOrganisations: OtherOrganisationCounts };

export type DetailReuseCounts = ListReuseCounts &
  Record<ReuseStatus, number> & {
    /** Records not withdrawn and not retired, by anyone (the producer and its cooperation included). */
    total: number;
    /** Not withdrawn, not retired: reuse by the producer itself or an organisation of its cooperation. */
    byProducerOrCooperation: number;
    withdrawn: number;
  };

function otherCounts(rows: ReuseCountRow[]): OtherOrganisationCounts {
  const counts: OtherOrganisationCounts = { total: 0, confirmed: 0, selfDeclared: 0, disputed: 0, production: 0, confirmedProduction: 0 };
  for (const row of rows) {
    if (!row.byOther || row.withdrawn || row.status === 'retired') continue;
    if (row.verification === 'disputed') {
      counts.disputed += row.n;
      continue;
    }
    counts.total += row.n;
    if (row.verification === 'confirmed') counts.confirmed += row.n;
    else counts.selfDeclared += row.n;
    if (row.status === 'production') {
      counts.production += row.n;
      if (row.verification === 'confirmed') counts.confirmedProduction += row.n;
    }
  }
  return counts;
}

export function detailReuseCounts(rows: ReuseCountRow[]): DetailReuseCounts {
  const current = rows.filter((r) => !r.withdrawn);
  const byStatus = Object.fromEntries(
    REUSE_STATUSES.map((status) => [status, current.filter((r) => r.status === status).reduce((sum, r) => sum + r.n, 0)]),
  ) as Record<ReuseStatus, number>;
  return {
    ...byStatus,
    total: byStatus.evaluating + byStatus.piloting + byStatus.production,
    byOtherOrganisations: otherCounts(rows),
    byProducerOrCooperation: current.filter((r) => !r.byOther && r.status !== 'retired').reduce((sum, r) => sum + r.n, 0),
    withdrawn: rows.filter((r) => r.withdrawn).reduce((sum, r) => sum + r.n, 0),
  };
}

/** The list items' counts for a page of entries, in one statement. */
export async function listReuseCounts(db: Executor, softwareIds: string[]): Promise<Map<string, ListReuseCounts>> {
  const rows = await countReuses(db, softwareIds);
  return new Map(softwareIds.map((id) => [id, { byOtherOrganisations: otherCounts(rows.filter((r) => r.softwareId === id)) }]));
}

export async function softwareReuseCounts(db: Executor, softwareId: string): Promise<DetailReuseCounts> {
  return detailReuseCounts(await countReuses(db, [softwareId]));
}
