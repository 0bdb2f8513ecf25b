import { describe, expect, it } from 'vitest';
import { decideEntry, type DecisionInput, type HeldRow } from '../../../src/domain/federation/apply-decision';
import { ENTRY_BYTE_CAP, entryDigest, type ChangeEntry } from '../../../src/domain/federation/change-entry';
import { testOrigin } from './federation-fixtures';

const self = 'https://hub-b.example';
const a = testOrigin('https://hub-a.example');
const c = testOrigin('https://hub-c.example');
const keys = new Map([[a.hubId, a.publicKey], [c.hubId, c.publicKey]]);
const uuid = '0b8d6a3e-1f0e-4f9a-9c55-7b1d2f3e4a5b';

function decide(entry: unknown, overrides: Partial<DecisionInput> = {}) {
  return decideEntry({
    entry,
    size: JSON.stringify(entry).length,
    self,
    peer: { hubId: a.hubId, relayOrigins: [] },
    isAuthoritative: () => true,
    originKey: (origin) => keys.get(origin) ?? null,
    held: null,
    ...overrides,
  });
}

const heldFrom = (entry: ChangeEntry, deleted = false): HeldRow => ({ origin: entry.origin, originVersion: entry.originVersion, digest: entryDigest(entry), deleted });

describe('deciding one pulled entry', () => {
  it('upserts a new record signed by its origin, the peer', () => {
    expect(decide(a.entry({ uuid, version: 1 }))).toMatchObject({ action: 'upsert' });
  });

  it('quarantines an entry that does not match the entry schema', () => {
    const { origin: _dropped, ...entry } = a.entry({ uuid, version: 1 });
    expect(decide(entry)).toMatchObject({ action: 'quarantine', reason: 'entry.schema-invalid' });
  });

  it('quarantines an entry larger than the entry cap before reading it', () => {
    expect(decide(a.entry({ uuid, version: 1 }), { size: ENTRY_BYTE_CAP + 1 })).toMatchObject({ action: 'quarantine', reason: 'entry.oversize' });
  });

  it('quarantines an id the origin did not mint', () => {
    const entry = { ...a.entry({ uuid, version: 1 }), id: `${c.hubId}/id/software/${uuid}` };
    expect(decide(entry)).toMatchObject({ action: 'quarantine', reason: 'entry.schema-invalid' });
  });

  it('skips an entry of our own origin that came back through a cycle', () => {
    const own = testOrigin(self).entry({ uuid, version: 1 });
    expect(decide(own)).toEqual({ action: 'skip', reason: 'own-origin' });
  });

  it('quarantines a record of a third hub the peer may not relay, and accepts it once allowed', () => {
    const relayed = c.entry({ uuid, version: 1 });
    expect(decide(relayed)).toMatchObject({ action: 'quarantine', reason: 'entry.origin-not-allowed' });
    expect(decide(relayed, { peer: { hubId: a.hubId, relayOrigins: [c.hubId] } })).toMatchObject({ action: 'upsert' });
  });

  it('quarantines a record its origin is not authoritative for', () => {
    expect(decide(a.entry({ uuid, version: 1 }), { isAuthoritative: () => false })).toMatchObject({ action: 'quarantine', reason: 'entry.not-authoritative' });
  });

  it('quarantines a record changed after the origin signed it, and one signed with an unpinned key', () => {
    const tampered = a.entry({ uuid, version: 1 });
    (tampered.record as Record<string, unknown>).name = 'Umgeschrieben';
    expect(decide(tampered)).toMatchObject({ action: 'quarantine', reason: 'entry.proof-invalid' });
    expect(decide(a.entry({ uuid, version: 1 }), { originKey: () => null })).toMatchObject({ action: 'quarantine', reason: 'entry.proof-invalid' });
    expect(decide(a.entry({ uuid, version: 1 }), { originKey: () => c.publicKey })).toMatchObject({ action: 'quarantine', reason: 'entry.proof-invalid' });
  });

  it('quarantines a record whose id we hold from another origin (no last-writer-wins)', () => {
    const entry = a.entry({ uuid, version: 2 });
    expect(decide(entry, { held: { ...heldFrom(entry), origin: c.hubId, originVersion: 1 } })).toMatchObject({ action: 'quarantine', reason: 'entry.other-origin' });
  });

  it('skips a lower version (a replay) and the same entry again', () => {
    const v1 = a.entry({ uuid, version: 1 });
    const v2 = a.entry({ uuid, version: 2 });
    expect(decide(v1, { held: heldFrom(v2) })).toEqual({ action: 'skip', reason: 'stale' });
    expect(decide(v2, { held: heldFrom(v2) })).toEqual({ action: 'skip', reason: 'duplicate' });
  });

  it('quarantines a second, different content for the same version as equivocation', () => {
    const first = a.entry({ uuid, version: 3, record: { name: 'Eins' } });
    const second = a.entry({ uuid, version: 3, record: { name: 'Zwei' } });
    expect(decide(second, { held: heldFrom(first) })).toMatchObject({ action: 'quarantine', reason: 'entry.equivocation' });
  });

  it('lets a tombstone win a tie with an upsert of the same version, in either order', () => {
    const upsert = a.entry({ uuid, version: 4 });
    const tombstone = a.entry({ uuid, version: 4, op: 'delete' });
    expect(decide(tombstone, { held: heldFrom(upsert) })).toMatchObject({ action: 'tombstone' });
    expect(decide(upsert, { held: heldFrom(tombstone, true) })).toEqual({ action: 'skip', reason: 'tombstone-wins' });
  });

  it('re-creates a record after its tombstone with a higher version, and drops one that left the scope', () => {
    const tombstone = a.entry({ uuid, version: 4, op: 'delete' });
    expect(decide(a.entry({ uuid, version: 5 }), { held: heldFrom(tombstone, true) })).toMatchObject({ action: 'upsert' });
    expect(decide(a.entry({ uuid, version: 6, op: 'scope-exit' }), { held: heldFrom(tombstone, true) })).toMatchObject({ action: 'drop' });
  });
});
