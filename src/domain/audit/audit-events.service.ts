import type { Db } from '../../db/client';
import { listAuditEvents } from '../../db/queries/audit.queries';
import { decodeSortedCursor, encodeSortedCursor } from '../../lib/cursor';
import { isAdmin, requirePrincipal, type Principal } from '../auth/principal';

export type AuditEventsQuery = {
  /** A token id, or "admin" for the bootstrap admin from the environment. */
  actor?: string;
  entityType?: string;
  entityId?: string;
  from?: string;
  to?: string;
  cursor?: string;
  limit: number;
};

/** The cursor's sort name: the log has one order, newest first. */
const ORDER = 'newest';

/**
 * The audit log: an admin reads all of it; any token of an organisation reads its own entries
 * (what its tokens did, and what anyone did to its organisation, tokens, software, repositories,
 * releases and reuse records).
 */
export async function listAuditEventsPage(db: Db, principal: Principal | null, query: AuditEventsQuery) {
  const who = requirePrincipal(principal);
  const rows = await listAuditEvents(db, {
    visibleTo: isAdmin(who) || who.kind !== 'token' ? undefined : who.organisationId,
    tokenId: query.actor === undefined ? undefined : query.actor === 'admin' ? null : query.actor.toLowerCase(),
    entityType: query.entityType,
    entityId: query.entityId,
    from: query.from,
    to: query.to,
    after: decodeSortedCursor(query.cursor, ORDER),
    limit: query.limit + 1,
  });
  const items = rows.slice(0, query.limit);
  const last = items.at(-1);
  return {
    items: items.map(({ event, organisationId }) => ({
      id: event.id,
      at: event.at.toISOString(),
      actor: event.actor,
      tokenId: event.tokenId,
      organisationId,
      action: event.action,
      entityType: event.entityType,
      entityId: event.entityId,
      detail: event.detail ?? null,
    })),
    nextCursor: rows.length > query.limit && last ? encodeSortedCursor(ORDER, { key: last.sortKey, tiebreak: last.event.id }) : null,
  };
}
