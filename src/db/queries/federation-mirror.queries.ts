import { and, eq, ne, or, sql } from 'drizzle-orm';
import { anyOf } from './any-of';
import type { Executor } from '../client';
import { upsertAsJson } from './json-upsert';
import { organisations, releases, reuseEvents, reuses, software, type FederatedType } from '../schema';

/**
 * Rows of other hubs' records in our own tables (the applier's part, see
 * src/domain/federation/README.md): written with the record's uuid as id, upserted so a page
 * applied twice changes nothing. The change-log triggers skip these rows (their
 * federation_record names an origin hub), so writing them appends nothing of ours.
 */
export type MirrorRow =
  | { type: 'organisation'; values: typeof organisations.$inferInsert & { id: string } }
  | { type: 'software'; values: typeof software.$inferInsert & { id: string } }
  | { type: 'release'; values: typeof releases.$inferInsert & { id: string } }
  | { type: 'reuse'; values: typeof reuses.$inferInsert & { id: string } };

const TABLES = { organisation: organisations, software, release: releases, reuse: reuses } as const;

export async function upsertMirrorRow(db: Executor, row: MirrorRow): Promise<void> {
  const { id: _id, ...changes } = row.values;
  const table = TABLES[row.type];
  const touched = row.type === 'organisation' || row.type === 'software' || row.type === 'reuse' ? { updatedAt: new Date() } : {};
  await db
    .insert(table)
    .values(row.values as never)
    .onConflictDoUpdate({ target: table.id, set: { ...changes, ...touched } as never });
}

/**
 * Many rows of one type in one statement (a page applied set-wise): the search and revision
 * triggers of these tables run per statement, so one INSERT for a page costs what one row did.
 * Every row of a type has the same fields (mirrorRow), and a page never names one id twice.
 */
export async function upsertMirrorRows<T extends MirrorRow['type']>(db: Executor, type: T, rows: Extract<MirrorRow, { type: T }>['values'][]): Promise<void> {
  await upsertAsJson(db, TABLES[type], rows, { target: ['id'], set: type === 'release' ? {} : { updatedAt: sql`${new Date().toISOString()}::timestamptz` } });
}

/** Which of these ids have a row in the type's table (references' targets, uuid collisions). */
export async function existingIds(db: Executor, type: FederatedType, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const table = TABLES[type];
  const rows = await db.select({ id: table.id }).from(table).where(anyOf(table.id, ids, 'uuid'));
  return rows.map((row) => row.id);
}

/** Rows holding one of these slugs, and the current slugs of these ids (to see who holds what after a write). */
export async function slugHolders(db: Executor, type: 'organisation' | 'software', query: { slugs: string[]; ids: string[] }) {
  if (query.slugs.length === 0 && query.ids.length === 0) return [];
  const table = type === 'organisation' ? organisations : software;
  return db
    .select({ id: table.id, value: table.slug })
    .from(table)
    .where(or(query.slugs.length > 0 ? anyOf(table.slug, query.slugs, 'text') : sql`false`, query.ids.length > 0 ? anyOf(table.id, query.ids, 'uuid') : sql`false`));
}

/** Organisations holding one of these official keys, and the current keys of these ids. */
export async function officialKeyHolders(db: Executor, query: { keys: string[]; ids: string[] }) {
  if (query.keys.length === 0 && query.ids.length === 0) return [];
  return db
    .select({ id: organisations.id, value: organisations.officialKey })
    .from(organisations)
    .where(or(query.keys.length > 0 ? anyOf(organisations.officialKey, query.keys, 'text') : sql`false`, query.ids.length > 0 ? anyOf(organisations.id, query.ids, 'uuid') : sql`false`));
}

/** Whether a row with this id exists in the type's table (a reference's target, a uuid collision). */
export async function mirrorRowExists(db: Executor, type: FederatedType, id: string): Promise<boolean> {
  const table = TABLES[type];
  const [row] = await db.select({ id: table.id }).from(table).where(eq(table.id, id)).limit(1);
  return row !== undefined;
}

/** Whether another row than `id` holds the slug (organisation and software slugs are unique). */
export async function slugHeldByOther(db: Executor, type: 'organisation' | 'software', slug: string, id: string): Promise<boolean> {
  const table = type === 'organisation' ? organisations : software;
  const [row] = await db.select({ id: table.id }).from(table).where(and(eq(table.slug, slug), ne(table.id, id))).limit(1);
  return row !== undefined;
}

/** The organisation holding an official key, other than `id`: two origins claiming one natural key. */
export async function officialKeyHolder(db: Executor, officialKey: string, id: string): Promise<string | null> {
  const [row] = await db
    .select({ id: organisations.id })
    .from(organisations)
    .where(and(eq(organisations.officialKey, officialKey), ne(organisations.id, id)))
    .limit(1);
  return row?.id ?? null;
}

/**
 * A tombstone's effect on the row. Software is deactivated (its releases and reuses stay
 * referable, as after a local deactivation); releases and reuses are removed; an organisation
 * stays (software of other hubs may still name it) and only its federation state says deleted.
 */
export async function removeMirrorRow(db: Executor, type: FederatedType, id: string): Promise<void> {
  if (type === 'software') await db.update(software).set({ active: false, listed: false, updatedAt: new Date() }).where(eq(software.id, id));
  if (type === 'release') await db.delete(releases).where(eq(releases.id, id));
  if (type === 'reuse') {
    await db.delete(reuseEvents).where(eq(reuseEvents.reuseId, id));
    await db.delete(reuses).where(eq(reuses.id, id));
  }
}

/**
 * Serialises the appliers of one peer (design: one pull per peer at a time) for the rest of the
 * transaction. Transaction-level on purpose: a session lock held across the network waits of a
 * pull would pin a pooled connection, and on PGlite (one connection) block every other query.
 */
export async function lockPeerForApply(db: Executor, peerId: string): Promise<void> {
  await db.execute(sql`select pg_advisory_xact_lock(hashtext(${`federation-pull:${peerId}`}))`);
}
