import type { Executor } from '../../db/client';
import { insertAuditEvent } from '../../db/queries/audit.queries';
import { actorOf, type Principal } from '../auth/principal';

/** Every write records who did what; called inside the write's own transaction. */
export async function audit(
  tx: Executor,
  principal: Principal,
  event: { action: string; entityType: string; entityId: string; detail?: Record<string, unknown> },
) {
  await insertAuditEvent(tx, { ...actorOf(principal), ...event });
}
