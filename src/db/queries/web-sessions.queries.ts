import { and, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import type { Executor } from '../client';
import { apiTokens } from '../schema/api-tokens';
import { organisations } from '../schema/organisations';
import { webSessions, type SessionPrincipal } from '../schema/web-sessions';

export async function insertWebSession(
  db: Executor,
  values: { idHash: string; principal: SessionPrincipal; tokenId: string | null; csrfToken: string; expiresAt: Date },
) {
  const [row] = await db.insert(webSessions).values(values).returning();
  return row!;
}

/**
 * A live session with the token it was opened with, when that token is still active, and the
 * organisation's name for the header. One indexed lookup (id_hash is unique) per page request.
 */
export async function findLiveWebSession(db: Executor, idHash: string) {
  const [row] = await db
    .select({
      session: webSessions,
      scopes: apiTokens.scopes,
      organisation: { id: organisations.id, slug: organisations.slug, name: organisations.name },
    })
    .from(webSessions)
    .innerJoin(apiTokens, and(eq(apiTokens.id, webSessions.tokenId), isNull(apiTokens.revokedAt)))
    .innerJoin(organisations, eq(organisations.id, apiTokens.organisationId))
    .where(and(eq(webSessions.idHash, idHash), gt(webSessions.expiresAt, sql`now()`)))
    .limit(1);
  return row ?? null;
}

export async function deleteWebSession(db: Executor, idHash: string) {
  const [row] = await db.delete(webSessions).where(eq(webSessions.idHash, idHash)).returning({ id: webSessions.id });
  return row ?? null;
}

export async function deleteExpiredWebSessions(db: Executor) {
  await db.delete(webSessions).where(lt(webSessions.expiresAt, sql`now()`));
}
