import type { Executor } from '../client';
import { auditEvents } from '../schema/audit-events';

export async function insertAuditEvent(
  db: Executor,
  event: { tokenId: string | null; actor: string; action: string; entityType: string; entityId: string; detail?: Record<string, unknown> },
) {
  await db.insert(auditEvents).values(event);
}
