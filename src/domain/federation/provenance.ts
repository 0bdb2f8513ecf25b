import type { Executor } from '../../db/client';
import { findFederationRecord } from '../../db/queries/federation-log.queries';
import type { FederatedType } from '../../db/schema/federation';
import { refused } from '../../lib/refusals';

/**
 * Records are origin-authoritative (design, principle 2): a mirrored record changes only at the
 * hub it comes from, so a local edit is refused with the hub to turn to. One indexed lookup; a
 * hub without federation has no rows and every record is local.
 */
export async function assertLocalRecord(db: Executor, type: FederatedType, recordId: string): Promise<void> {
  const state = await findFederationRecord(db, { type, recordId });
  if (state?.originHub) {
    throw refused(409, 'federation.record_not_local', `This ${type} comes from the hub ${state.originHub} and can only be changed there (Dieser Eintrag stammt vom Hub ${state.originHub} und wird nur dort geändert).`);
  }
}
