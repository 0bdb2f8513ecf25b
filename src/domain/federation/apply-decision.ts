import type { KeyObject } from 'node:crypto';
import { ENTRY_BYTE_CAP, entryDigest, type ChangeEntry } from './change-entry';
import { proofCheck, shapeProblem } from './entry-checks';

/**
 * What to do with one entry of a pulled page (design: "Applying a page"), decided without IO:
 * the caller looks up the row we hold and the keys, this function applies the rules in the
 * design's order, and the caller writes. Being pure, the order is tested by a property test
 * (test/domain/federation/apply-decision.property.test.ts).
 */
/** Stable codes, stored in federation_quarantine.reason and shown to admins. */
export type QuarantineReason =
  | 'entry.schema-invalid'
  | 'entry.oversize'
  | 'entry.origin-not-allowed'
  | 'entry.not-authoritative'
  | 'entry.proof-invalid'
  | 'entry.other-origin'
  | 'entry.equivocation'
  // Found when writing, after the decision: a referenced record we do not hold, an official key
  // another organisation holds, a row our constraints refuse.
  | 'entry.missing-reference'
  | 'entry.natural-key-conflict'
  | 'entry.unappliable';
export type SkipReason = 'own-origin' | 'stale' | 'duplicate' | 'tombstone-wins';

export type Decision =
  | { action: 'quarantine'; reason: QuarantineReason; detail: string; entry: unknown }
  | { action: 'skip'; reason: SkipReason }
  | { action: 'upsert' | 'tombstone' | 'drop'; entry: ChangeEntry; digest: string };

/** The row we hold for the entry's id, if any. */
export type HeldRow = { origin: string; originVersion: number; digest: string; deleted: boolean };

export type DecisionInput = {
  entry: unknown;
  /** Bytes of the entry as received (its JSON text). */
  size: number;
  /** Our hub id: entries of our own origin come back through a cycle and are skipped. */
  self: string;
  /** The peer we pull from, and the origins it may relay for us (default none). */
  peer: { hubId: string; relayOrigins: readonly string[] };
  /** Whether `entry.origin` is authoritative for this record (scope of its organisation). */
  isAuthoritative: (entry: ChangeEntry) => boolean;
  /** The pinned key of an origin for a proof's verificationMethod, or null: never fetched. */
  originKey: (origin: string, verificationMethod: string) => KeyObject | null;
  held: HeldRow | null;
};

export function decideEntry(input: DecisionInput): Decision {
  const quarantine = (reason: QuarantineReason, detail: string): Decision => ({ action: 'quarantine', reason, detail, entry: input.entry });
  if (input.size > ENTRY_BYTE_CAP) return quarantine('entry.oversize', `${input.size} bytes, more than ${ENTRY_BYTE_CAP}`);
  const problem = shapeProblem(input.entry);
  if (problem !== null) return quarantine('entry.schema-invalid', problem);
  const entry = input.entry as ChangeEntry;

  // Loop guard: what we originated comes back through A → B → C → A; ours is always the truth.
  if (entry.origin === input.self) return { action: 'skip', reason: 'own-origin' };
  if (entry.origin !== input.peer.hubId && !input.peer.relayOrigins.includes(entry.origin)) {
    return quarantine('entry.origin-not-allowed', `${input.peer.hubId} may not relay records of ${entry.origin}`);
  }
  if (!input.isAuthoritative(entry)) return quarantine('entry.not-authoritative', `${entry.origin} is not authoritative for this ${entry.type}`);
  const key = input.originKey(entry.origin, entry.proof.verificationMethod);
  if (!key) return quarantine('entry.proof-invalid', `no pinned key of ${entry.origin} for ${entry.proof.verificationMethod}`);
  const { hash, valid } = proofCheck(entry, key);
  if (!valid) return quarantine('entry.proof-invalid', `the origin proof does not verify with ${entry.proof.verificationMethod}`);

  const held = input.held;
  // Single writer: a row of another origin is never taken over by a newcomer (no last-writer-wins).
  if (held && held.origin !== entry.origin) return quarantine('entry.other-origin', `the record is held from ${held.origin}`);
  const digest = entryDigest(entry, hash);
  if (held && entry.originVersion < held.originVersion) return { action: 'skip', reason: 'stale' };
  if (held && entry.originVersion === held.originVersion) {
    if (digest === held.digest) return { action: 'skip', reason: 'duplicate' };
    // A delete and an upsert of one version: the tombstone wins, whichever came first, so every
    // order of arrival ends the same. Two different upserts of one version are an origin lying.
    if (held.deleted) return { action: 'skip', reason: 'tombstone-wins' };
    if (entry.op !== 'delete') return quarantine('entry.equivocation', `version ${entry.originVersion} arrived with two different contents`);
  }
  const action = entry.op === 'upsert' ? 'upsert' : entry.op === 'delete' ? 'tombstone' : 'drop';
  return { action, entry, digest };
}
