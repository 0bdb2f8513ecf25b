import type { Executor } from '../../db/client';
import { existingIds, officialKeyHolders, slugHolders, type MirrorRow } from '../../db/queries/federation-mirror.queries';
import { heldRecords } from '../../db/queries/federation-pull.queries';
import type { FederatedType } from '../../db/schema';
import type { ChangeEntry } from './change-entry';
import { mirrorRow, referencesOf } from './mirror-record';
import { authorityReferences } from './page-authority';

/**
 * What the decisions of a whole page read from our tables, fetched with a few set queries before
 * the first decision (set-wise apply): the held records its authority depends on, which rows
 * exist (references, uuid collisions), who holds its slugs and official keys. Each write planned
 * for the page is recorded here too (`wrote`), so an entry sees the ones before it in the page
 * exactly as it would after their rows were written: a software after its organisation.
 */
export type PageFacts = {
  ownedByOrigin(globalId: string, origin: string): boolean;
  exists(type: FederatedType, id: string): boolean;
  /** Another row than `id` holds this slug (organisation and software slugs are unique). */
  slugHeldByOther(type: 'organisation' | 'software', slug: string, id: string): boolean;
  /** The organisation other than `id` holding this official key, or null. */
  officialKeyHolder(officialKey: string, id: string): string | null;
  /** A row and its held record planned for writing: later entries of the page see them. */
  wrote(row: MirrorRow, entry: ChangeEntry): void;
};

/** Who holds which value of a unique column, both ways, so a write moves a holder from its old value. */
class Holders {
  private readonly byId = new Map<string, string | null>();
  private readonly byValue = new Map<string, Set<string>>();

  constructor(rows: { id: string; value: string | null }[]) {
    for (const row of rows) this.set(row.id, row.value);
  }

  set(id: string, value: string | null) {
    const old = this.byId.get(id);
    if (old != null) this.byValue.get(old)?.delete(id);
    this.byId.set(id, value);
    if (value === null) return;
    const holders = this.byValue.get(value) ?? new Set();
    holders.add(id);
    this.byValue.set(value, holders);
  }

  otherThan(value: string, id: string): string | null {
    for (const holder of this.byValue.get(value) ?? []) if (holder !== id) return holder;
    return null;
  }
}

/** The row an entry would write, when it has one: what we know before deciding (bad shapes are the decision's). */
function plannedRow(entry: Partial<ChangeEntry>): MirrorRow | null {
  if (entry.op !== 'upsert' || typeof entry.id !== 'string') return null;
  try {
    return mirrorRow(entry as ChangeEntry);
  } catch {
    return null;
  }
}

export async function prefetchPage(db: Executor, entries: unknown[]): Promise<PageFacts> {
  const references: string[] = [];
  const ids: Record<FederatedType, Set<string>> = { organisation: new Set(), software: new Set(), release: new Set(), reuse: new Set() };
  const slugs = { organisation: new Set<string>(), software: new Set<string>() };
  const officialKeys = new Set<string>();
  for (const value of entries) {
    const entry = (typeof value === 'object' && value !== null ? value : {}) as Partial<ChangeEntry>;
    references.push(...authorityReferences(entry));
    const row = plannedRow(entry);
    if (!row) continue;
    ids[row.type].add(row.values.id);
    for (const [type, id] of referencesOf(row)) ids[type].add(id);
    if (row.type === 'organisation' || row.type === 'software') slugs[row.type].add(row.values.slug);
    if (row.type === 'organisation' && row.values.officialKey) officialKeys.add(row.values.officialKey);
  }
  // One after another: a transaction is one connection, and pg refuses to queue queries on one.
  const held = await heldRecords(db, { globalIds: [...new Set(references)], recordIds: [] });
  const organisations = await existingIds(db, 'organisation', [...ids.organisation]);
  const software = await existingIds(db, 'software', [...ids.software]);
  const releases = await existingIds(db, 'release', [...ids.release]);
  const reuses = await existingIds(db, 'reuse', [...ids.reuse]);
  const organisationSlugs = await slugHolders(db, 'organisation', { slugs: [...slugs.organisation], ids: [...ids.organisation] });
  const softwareSlugs = await slugHolders(db, 'software', { slugs: [...slugs.software], ids: [...ids.software] });
  const keys = await officialKeyHolders(db, { keys: [...officialKeys], ids: [...ids.organisation] });
  const owner = new Map(held.map((row) => [row.globalId, row.status === 'active' ? row.originHub : null]));
  const existing = new Set([
    ...organisations.map((id) => `organisation:${id}`),
    ...software.map((id) => `software:${id}`),
    ...releases.map((id) => `release:${id}`),
    ...reuses.map((id) => `reuse:${id}`),
  ]);
  const slugHolder = { organisation: new Holders(organisationSlugs), software: new Holders(softwareSlugs) };
  const keyHolder = new Holders(keys);
  return {
    ownedByOrigin: (globalId, origin) => owner.get(globalId) === origin,
    exists: (type, id) => existing.has(`${type}:${id}`),
    slugHeldByOther: (type, slug, id) => slugHolder[type].otherThan(slug, id) !== null,
    officialKeyHolder: (officialKey, id) => keyHolder.otherThan(officialKey, id),
    wrote(row, entry) {
      existing.add(`${row.type}:${row.values.id}`);
      owner.set(entry.id, entry.origin);
      if (row.type === 'organisation' || row.type === 'software') slugHolder[row.type].set(row.values.id, row.values.slug);
      if (row.type === 'organisation') keyHolder.set(row.values.id, row.values.officialKey ?? null);
    },
  };
}
