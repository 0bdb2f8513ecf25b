import { and, eq, isNull } from 'drizzle-orm';
import type { Executor } from '../client';
import { apiTokens, type TokenScope } from '../schema/api-tokens';

export async function findActiveTokenByHash(db: Executor, tokenHash: string) {
  const [row] = await db
    .select()
    .from(apiTokens)
    .where(and(eq(apiTokens.tokenHash, tokenHash), isNull(apiTokens.revokedAt)))
    .limit(1);
  return row ?? null;
}

export async function touchToken(db: Executor, id: string) {
  await db.update(apiTokens).set({ lastUsedAt: new Date() }).where(eq(apiTokens.id, id));
}

export async function insertToken(
  db: Executor,
  values: { organisationId: string; tokenHash: string; label: string | null; scopes: TokenScope[] },
) {
  const [row] = await db.insert(apiTokens).values(values).returning();
  return row!;
}

export async function listTokens(db: Executor, organisationId: string) {
  return db.select().from(apiTokens).where(eq(apiTokens.organisationId, organisationId)).orderBy(apiTokens.createdAt);
}

export async function revokeToken(db: Executor, { organisationId, id }: { organisationId: string; id: string }) {
  const [row] = await db
    .update(apiTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiTokens.id, id), eq(apiTokens.organisationId, organisationId), isNull(apiTokens.revokedAt)))
    .returning({ id: apiTokens.id });
  return row ?? null;
}
