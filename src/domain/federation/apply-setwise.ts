import type { Executor } from '../../db/client';
import { sqlState } from '../../lib/errors';
import type { Decision, QuarantineReason } from './apply-decision';
import type { ChangeEntry } from './change-entry';
import { hostSuffixed, mirrorRow, RecordShapeError, referencesOf } from './mirror-record';
import { decide, heldFor, type DecideContext, type PageEntry } from './page-decide';
import { prefetchPage } from './page-prefetch';
import { writePlanned, type PlannedWrite } from './page-write';

/**
 * The set-wise applier (issue 15, bootstrap of 100,000 records in two minutes): the per-entry
 * applier costs ~10 statements an entry, and a software INSERT alone ~12 ms because the search
 * triggers run per statement. Here a page's decisions read what they need in a few set queries
 * (page-prefetch), are made in memory in page order with the same rules and checks as per entry,
 * and the rows are written with one upsert per type. Pages this cannot take, or whose write a
 * constraint refuses, go entry by entry: the outcome is the same either way, only slower.
 */

/** Pages of upserts with distinct ids: a tombstone or an id twice in a page keeps the per-entry path, where each write sees the last. */
export function setwiseApplicable(entries: PageEntry[]): boolean {
  const ids = new Set<string>();
  for (const { value } of entries) {
    const entry = value as Partial<ChangeEntry> | null;
    if (typeof entry !== 'object' || entry === null || entry.op !== 'upsert' || typeof entry.id !== 'string') continue;
    if (ids.has(entry.id)) return false;
    ids.add(entry.id);
  }
  return entries.every(({ value }) => (value as Partial<ChangeEntry> | null)?.op !== 'delete' && (value as Partial<ChangeEntry> | null)?.op !== 'scope-exit');
}

/**
 * The decisions of the page, its rows written, in a savepoint; null when a constraint refused the
 * write (nothing of it stays, and the caller applies the page entry by entry).
 */
export async function applySetwise(db: Executor, context: DecideContext, entries: PageEntry[], now: Date): Promise<Decision[] | null> {
  try {
    return await db.transaction(async (savepoint) => {
      const held = await heldFor(savepoint, entries);
      const facts = await prefetchPage(savepoint, entries.map((item) => item.value));
      const results: Decision[] = [];
      const writes: PlannedWrite[] = [];
      for (const item of entries) {
        const decision = await decide(context, item, held, facts.ownedByOrigin);
        if (decision.action !== 'upsert') {
          results.push(decision);
          continue;
        }
        const entry = decision.entry;
        const refuse = (reason: QuarantineReason, detail: string) => results.push({ action: 'quarantine', reason, detail, entry });
        let row;
        try {
          row = mirrorRow(entry);
        } catch (error) {
          if (!(error instanceof RecordShapeError)) throw error;
          refuse('entry.schema-invalid', error.message);
          continue;
        }
        const missing = referencesOf(row).find(([type, id]) => !facts.exists(type, id));
        if (missing) {
          refuse('entry.missing-reference', `${missing[0]} ${missing[1]} is not held here`);
          continue;
        }
        const holder = row.type === 'organisation' && row.values.officialKey ? facts.officialKeyHolder(row.values.officialKey, row.values.id) : null;
        if (holder && row.type === 'organisation') {
          refuse('entry.natural-key-conflict', `official key ${row.values.officialKey} is held by organisation ${holder}`);
          continue;
        }
        // A row with this uuid that no federation state explains is a local record: never overwritten.
        if (held.get(entry.id) == null && facts.exists(entry.type, row.values.id)) {
          refuse('entry.other-origin', `a local ${entry.type} has the id ${row.values.id}`);
          continue;
        }
        if ((row.type === 'organisation' || row.type === 'software') && facts.slugHeldByOther(row.type, row.values.slug, row.values.id)) {
          row.values.slug = hostSuffixed(row.values.slug, entry.origin);
        }
        facts.wrote(row, entry);
        writes.push({ decision, row });
        results.push(decision);
      }
      await writePlanned(savepoint, context.peer.hubId, writes, now);
      return results;
    });
  } catch (error) {
    if (sqlState(error)) return null;
    throw error;
  }
}
