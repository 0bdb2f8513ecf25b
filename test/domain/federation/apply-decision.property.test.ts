import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideEntry, type HeldRow } from '../../../src/domain/federation/apply-decision';
import type { ChangeEntry } from '../../../src/domain/federation/change-entry';
import { testOrigin } from './federation-fixtures';

/**
 * Convergence: whatever order, duplication and interleaving entries arrive in, the rows a hub
 * ends with are "the highest version per id, and at that version the tombstone if there is one".
 * fast-check (already a dev dependency, used by the write-route property tests) shrinks a failing
 * interleaving to the shortest one, which a seeded generator of our own would not.
 */
const self = 'https://hub-b.example';
const a = testOrigin('https://hub-a.example');
const intruder = testOrigin('https://hub-x.example');
const ids = ['11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222', '33333333-3333-4333-8333-333333333333'];

// Per id and version one upsert (the origin never equivocates), and at some versions a delete too.
const honest: ChangeEntry[] = [];
for (const uuid of ids) {
  for (let version = 1; version <= 4; version++) {
    honest.push(a.entry({ uuid, version, record: { name: `${uuid.slice(0, 4)} v${version}` } }));
    if ((version + uuid.charCodeAt(0)) % 2 === 0) honest.push(a.entry({ uuid, version, op: 'delete' }));
  }
}
// Entries that must change nothing: our own origin, an origin the peer may not relay, a forgery.
const tampered = a.entry({ uuid: ids[0]!, version: 9 });
(tampered.record as Record<string, unknown>).name = 'forged';
const hostile: ChangeEntry[] = [testOrigin(self).entry({ uuid: ids[1]!, version: 9 }), intruder.entry({ uuid: ids[2]!, version: 9 }), tampered];
const pool = [...honest, ...hostile];

type Row = HeldRow & { entry: ChangeEntry };

function apply(sequence: ChangeEntry[]): Map<string, Row> {
  const rows = new Map<string, Row>();
  for (const entry of sequence) {
    const decision = decideEntry({
      entry,
      size: JSON.stringify(entry).length,
      self,
      peer: { hubId: a.hubId, relayOrigins: [] },
      isAuthoritative: () => true,
      originKey: (origin) => (origin === a.hubId ? a.publicKey : origin === intruder.hubId ? intruder.publicKey : null),
      held: rows.get(entry.id) ?? null,
    });
    if (decision.action === 'upsert' || decision.action === 'tombstone') {
      rows.set(entry.id, { origin: entry.origin, originVersion: entry.originVersion, digest: decision.digest, deleted: decision.action === 'tombstone', entry });
    }
  }
  return rows;
}

function expected(sequence: ChangeEntry[]): Map<string, { version: number; deleted: boolean; name: unknown }> {
  const result = new Map<string, { version: number; deleted: boolean; name: unknown }>();
  for (const entry of sequence.filter((candidate) => honest.includes(candidate))) {
    const best = result.get(entry.id);
    const deleted = entry.op === 'delete';
    if (!best || entry.originVersion > best.version || (entry.originVersion === best.version && deleted && !best.deleted)) {
      result.set(entry.id, { version: entry.originVersion, deleted, name: deleted ? null : entry.record?.name });
    }
  }
  return result;
}

const view = (rows: Map<string, Row>) =>
  new Map([...rows].map(([id, row]) => [id, { version: row.originVersion, deleted: row.deleted, name: row.deleted ? null : row.entry.record?.name }]));

describe('applying pulled entries in any order', () => {
  it('converges to the highest version per id, tombstones winning ties, whatever the order, duplicates and hostile entries', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: pool.length - 1 }), { minLength: 1, maxLength: 80 }), (picks) => {
        const sequence = picks.map((index) => pool[index]!);
        expect(view(apply(sequence))).toEqual(expected(sequence));
      }),
      { numRuns: 100 },
    );
  });

  it('ends the same for every permutation of one set of entries, each delivered twice', () => {
    fc.assert(
      fc.property(fc.shuffledSubarray(pool, { minLength: 1, maxLength: 16 }), fc.infiniteStream(fc.nat()), (subset, noise) => {
        const doubled = [...subset, ...subset];
        const shuffled = doubled.map((entry) => ({ entry, key: noise.next().value })).sort((x, y) => x.key - y.key).map(({ entry }) => entry);
        expect(view(apply(shuffled))).toEqual(view(apply(doubled)));
      }),
      { numRuns: 40 },
    );
  });
});
