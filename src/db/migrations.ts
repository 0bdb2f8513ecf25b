import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { sqlState } from '../lib/errors';
import { MIGRATIONS_DIR, type Executor } from './client';

/** drizzle's migrator records each applied migration with the `when` of its journal entry. */
type Journal = { entries: { tag: string; when: number }[] };

/** The `when` of the newest migration this version of the hub ships (migrations/meta/_journal.json). */
let shipped: number | undefined;
export function newestShippedMigration(): number {
  if (shipped === undefined) {
    const journal = JSON.parse(readFileSync(join(MIGRATIONS_DIR, 'meta', '_journal.json'), 'utf8')) as Journal;
    shipped = Math.max(...journal.entries.map((entry) => entry.when));
  }
  return shipped;
}

// 3F000: schema "drizzle" missing, 42P01: table missing — a database that was never migrated.
const NEVER_MIGRATED = new Set(['3F000', '42P01']);

/** The `when` of the newest migration applied to the database, null if none ever was. */
export async function newestAppliedMigration(db: Executor): Promise<number | null> {
  try {
    const result = (await db.execute(sql`select max(created_at) as "when" from drizzle.__drizzle_migrations`)) as unknown as {
      rows: { when: string | number | null }[];
    };
    const when = result.rows[0]?.when;
    return when === null || when === undefined ? null : Number(when);
  } catch (error) {
    if (NEVER_MIGRATED.has(sqlState(error) ?? '')) return null;
    throw error;
  }
}

/** Whether the database has every migration this version needs (a newer one may have more). */
export async function schemaIsCurrent(db: Executor): Promise<boolean> {
  const applied = await newestAppliedMigration(db);
  return applied !== null && applied >= newestShippedMigration();
}
