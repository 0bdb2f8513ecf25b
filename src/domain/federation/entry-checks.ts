import type { KeyObject } from 'node:crypto';
import { entryProblem, type ChangeEntry } from './change-entry';
import { documentHash, verifyRecord } from './proof';

/**
 * An entry's shape and origin proof, checked ahead of its page's transaction. Checking is most of
 * an applier's CPU (Ed25519, JCS and the schema: about a third of B's worker in a 100,000-entry
 * bootstrap), and the worker waited idle while PostgreSQL wrote the page before. A snapshot page
 * fetched ahead is checked in slices while the previous page is written (snapshot.service), and
 * the decision (apply-decision) takes the results from here; an entry not checked ahead, or checked
 * with another key than the one its decision finds, is checked then, the same way.
 */

type Checked = { problem: string | null; key?: KeyObject; hash?: Buffer; valid?: boolean };

/** By entry object: a page's entries are parsed once, and what was checked is what is decided. */
const checked = new WeakMap<object, Checked>();

/** Entries checked between two turns of the event loop: requests and the page being written go on. */
const SLICE = 25;

export async function checkAhead(entries: unknown[], originKey: (origin: string, verificationMethod: string) => KeyObject | null): Promise<void> {
  for (let i = 0; i < entries.length; i++) {
    if (i % SLICE === 0) await new Promise((resolve) => setImmediate(resolve));
    const entry = entries[i];
    if (typeof entry !== 'object' || entry === null || checked.has(entry)) continue;
    const problem = entryProblem(entry);
    const key = problem === null ? originKey((entry as ChangeEntry).origin, (entry as ChangeEntry).proof.verificationMethod) : null;
    if (!key) {
      checked.set(entry, { problem });
      continue;
    }
    const hash = documentHash(entry as Record<string, unknown>);
    checked.set(entry, { problem, key, hash, valid: verifyRecord(entry as Record<string, unknown>, key, hash) });
  }
}

/** entryProblem, from the check ahead when there was one. */
export function shapeProblem(entry: unknown): string | null {
  const ahead = typeof entry === 'object' && entry !== null ? checked.get(entry) : undefined;
  return ahead ? ahead.problem : entryProblem(entry);
}

/** The document hash and whether the proof verifies with `key`, from the check ahead when it used this key. */
export function proofCheck(entry: ChangeEntry, key: KeyObject): { hash: Buffer; valid: boolean } {
  const ahead = checked.get(entry);
  if (ahead?.key === key && ahead.hash && ahead.valid !== undefined) return { hash: ahead.hash, valid: ahead.valid };
  const hash = documentHash(entry as Record<string, unknown>);
  return { hash, valid: verifyRecord(entry as Record<string, unknown>, key, hash) };
}
