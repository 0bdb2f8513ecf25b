import { and, asc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../client';
import { jsonItem, listRead, queryBuilder, softwareIdParam, type JsonRead } from '../json-read';
import { repositories } from '../schema/repositories';
import { transferItems, transferPackageScores, type TransferKind } from '../schema/transfer-items';

export type TransferItemRow = typeof transferItems.$inferSelect;
export type TransferItemInsert = typeof transferItems.$inferInsert;

/** Every item of a software entry (declared and discovered), with the repository a path lives in. */
const withRepository = {
  item: transferItems,
  repository: { id: repositories.id, url: repositories.url, hostKind: repositories.hostKind, defaultBranch: repositories.defaultBranch },
};
const itemOrder = [asc(transferItems.kind), asc(transferItems.source), asc(transferItems.path), asc(transferItems.url), asc(transferItems.id)];

export async function listTransferItems(db: Executor, softwareId: string) {
  return db
    .select(withRepository)
    .from(transferItems)
    .leftJoin(repositories, eq(repositories.id, transferItems.repositoryId))
    .where(eq(transferItems.softwareId, softwareId))
    .orderBy(...itemOrder);
}

export type TransferItemWithRepository = Awaited<ReturnType<typeof listTransferItems>>[number];

/** listTransferItems (placeholder softwareId) as a read that can travel with others (the software page). */
export const transferItemsRead: JsonRead<TransferItemWithRepository[]> = listRead(
    withRepository,
    queryBuilder
      .select(jsonItem(withRepository, ...itemOrder))
      .from(transferItems)
      .leftJoin(repositories, eq(repositories.id, transferItems.repositoryId))
      .where(eq(transferItems.softwareId, softwareIdParam)),
  );

/** Sets the owner's item of a kind, replacing an earlier declaration (transfer_item_declared_key). */
export async function upsertDeclaredItem(db: Executor, values: Omit<TransferItemInsert, 'source' | 'id'>) {
  const row = { ...values, source: 'declared' as const, updatedAt: new Date() };
  const [stored] = await db
    .insert(transferItems)
    .values(row)
    .onConflictDoUpdate({
      target: [transferItems.softwareId, transferItems.kind],
      targetWhere: sql`${transferItems.source} = 'declared'`,
      set: {
        notApplicable: row.notApplicable ?? false,
        url: row.url ?? null,
        repositoryId: row.repositoryId ?? null,
        path: row.path ?? null,
        email: row.email ?? null,
        origin: row.origin ?? null,
        language: row.language ?? null,
        lastCheckedOn: row.lastCheckedOn ?? null,
        updatedAt: row.updatedAt,
      },
    })
    .returning();
  return stored!;
}

export async function deleteDeclaredItem(db: Executor, softwareId: string, kind: TransferKind) {
  const removed = await db
    .delete(transferItems)
    .where(and(eq(transferItems.softwareId, softwareId), eq(transferItems.kind, kind), eq(transferItems.source, 'declared')))
    .returning({ id: transferItems.id });
  return removed.length > 0;
}

/**
 * What a crawl found in one repository replaces what earlier crawls of it found: a file that was
 * removed from the repository disappears from the package. Called inside the crawl's transaction.
 */
export async function replaceDiscoveredItems(
  db: Executor,
  input: { softwareId: string; repositoryId: string; items: Omit<TransferItemInsert, 'softwareId' | 'repositoryId' | 'source'>[] },
) {
  await db
    .delete(transferItems)
    .where(and(eq(transferItems.repositoryId, input.repositoryId), eq(transferItems.source, 'discovered')));
  if (input.items.length === 0) return;
  await db.insert(transferItems).values(
    input.items.map((item) => ({ ...item, softwareId: input.softwareId, repositoryId: input.repositoryId, source: 'discovered' as const })),
  );
}

/** present / applicable for one entry; an entry without items has every kind missing. */
export async function transferScore(db: Executor, softwareId: string, kinds: number) {
  const [row] = await db
    .select({ present: transferPackageScores.present, applicable: transferPackageScores.applicable })
    .from(transferPackageScores)
    .where(eq(transferPackageScores.softwareId, softwareId));
  return row ?? { present: 0, applicable: kinds };
}
