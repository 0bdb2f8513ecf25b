import { and, eq, gte, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { SortedAfter } from '../../lib/cursor';
import type { Executor } from '../client';
import { apiTokens } from '../schema/api-tokens';
import { auditEvents } from '../schema/audit-events';
import { releases } from '../schema/releases';
import { repositories } from '../schema/repositories';
import { reuses } from '../schema/reuses';
import { software } from '../schema/software';
import { webhookSubscriptions } from '../schema/webhooks';
import { afterSql, orderBySql, sortKeySql, type SortSpec } from './keyset';

export async function insertAuditEvent(
  db: Executor,
  event: { tokenId: string | null; actor: string; action: string; entityType: string; entityId: string; detail?: Record<string, unknown> },
) {
  await db.insert(auditEvents).values(event);
}

export type AuditFilter = {
  /** Only what this organisation may read: what its tokens did, and what was done to its records. */
  visibleTo?: string;
  /** A token id, or null for the bootstrap admin from the environment. */
  tokenId?: string | null;
  entityType?: string;
  entityId?: string;
  from?: string;
  to?: string;
};

const NEWEST: SortSpec = { expr: sql`${auditEvents.at}`, direction: 'desc', type: 'timestamptz', nullable: false };
const tiebreak = sql`${auditEvents.id}::text`;

/**
 * The organisation's records, entity type by entity type. A record deleted since (a withdrawn
 * reuse) no longer has an owner here; the events its tokens wrote stay visible through the token.
 */
function visibleTo(organisationId: string): SQL {
  const id = sql`${auditEvents.entityId}`;
  const owned = (entityType: string, ids: SQL) => sql`(${auditEvents.entityType} = ${entityType} AND ${id} IN (${ids}))`;
  return or(
    sql`${auditEvents.tokenId} IN (${tokensOf(organisationId)})`,
    and(eq(auditEvents.entityType, 'organisation'), eq(auditEvents.entityId, organisationId)),
    owned('api_token', sql`SELECT ${apiTokens.id}::text FROM ${apiTokens} WHERE ${apiTokens.organisationId} = ${organisationId}`),
    owned('software', sql`SELECT ${software.id}::text FROM ${software} WHERE ${software.organisationId} = ${organisationId}`),
    owned('repository', sql`SELECT ${repositories.id}::text FROM ${repositories} WHERE ${repositories.organisationId} = ${organisationId}`),
    owned(
      'release',
      sql`SELECT ${releases.id}::text FROM ${releases} JOIN ${software} ON ${software.id} = ${releases.softwareId} WHERE ${software.organisationId} = ${organisationId}`,
    ),
    owned('reuse', sql`SELECT ${reuses.id}::text FROM ${reuses} WHERE ${reuses.organisationId} = ${organisationId}`),
    // Notes the hub writes about a subscription (webhook.disabled) have no token: visible through the subscription.
    owned(
      'webhook_subscription',
      sql`SELECT ${webhookSubscriptions.id}::text FROM ${webhookSubscriptions} WHERE ${webhookSubscriptions.organisationId} = ${organisationId}`,
    ),
  )!;
}

function tokensOf(organisationId: string): SQL {
  return sql`SELECT ${apiTokens.id} FROM ${apiTokens} WHERE ${apiTokens.organisationId} = ${organisationId}`;
}

/**
 * Newest first, the id breaking ties. No index serves the unfiltered order: the log grows by a
 * few thousand writes a year, and the entity filter has its own index (audit_event_entity_idx).
 */
export async function listAuditEvents(db: Executor, filter: AuditFilter & { after: SortedAfter | null; limit: number }) {
  const where: SQL[] = [];
  if (filter.visibleTo) where.push(visibleTo(filter.visibleTo));
  if (filter.tokenId === null) where.push(isNull(auditEvents.tokenId));
  else if (filter.tokenId !== undefined) where.push(eq(auditEvents.tokenId, filter.tokenId));
  if (filter.entityType) where.push(eq(auditEvents.entityType, filter.entityType));
  if (filter.entityId) where.push(eq(auditEvents.entityId, filter.entityId));
  if (filter.from) where.push(gte(auditEvents.at, new Date(filter.from)));
  if (filter.to) where.push(lt(auditEvents.at, new Date(filter.to)));
  if (filter.after) where.push(afterSql(NEWEST, tiebreak, filter.after));
  return db
    .select({ event: auditEvents, organisationId: apiTokens.organisationId, sortKey: sortKeySql(NEWEST) })
    .from(auditEvents)
    .leftJoin(apiTokens, eq(apiTokens.id, auditEvents.tokenId))
    .where(and(...where))
    .orderBy(orderBySql(NEWEST, tiebreak))
    .limit(filter.limit);
}
