import { asc, eq } from 'drizzle-orm';
import type { Db } from '../client';
import { federationKeys } from '../schema';

export type FederationKeyRow = typeof federationKeys.$inferSelect;

/** Oldest first: every process picks the same active key even if two generated one at once. */
export function listFederationKeys(db: Db): Promise<FederationKeyRow[]> {
  return db.select().from(federationKeys).orderBy(asc(federationKeys.createdAt), asc(federationKeys.kid));
}

export async function insertFederationKey(db: Db, row: typeof federationKeys.$inferInsert): Promise<void> {
  await db.insert(federationKeys).values(row).onConflictDoNothing();
}

export async function retireFederationKey(db: Db, { kid, at }: { kid: string; at: Date }): Promise<void> {
  await db.update(federationKeys).set({ retiredAt: at }).where(eq(federationKeys.kid, kid));
}
