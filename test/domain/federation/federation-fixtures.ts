import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { signRecord } from '../../../src/domain/federation/proof';
import type { ChangeEntry } from '../../../src/domain/federation/change-entry';

/** An origin hub for tests of the pulling side: an id, an Ed25519 key and entries it signs. */
export type TestOrigin = { hubId: string; kid: string; publicKey: KeyObject; privateKey: KeyObject; entry(spec: EntrySpec): ChangeEntry };
export type EntrySpec = { type?: ChangeEntry['type']; uuid: string; version: number; op?: ChangeEntry['op']; record?: Record<string, unknown>; origin?: string };

export function testOrigin(hubId: string, kid = 'key-1'): TestOrigin {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const verificationMethod = `${hubId}/federation/v1/keys#${kid}`;
  return {
    hubId,
    kid,
    publicKey,
    privateKey,
    entry(spec) {
      const type = spec.type ?? 'software';
      const op = spec.op ?? 'upsert';
      const origin = spec.origin ?? hubId;
      const unsigned: Record<string, unknown> = {
        op,
        type,
        id: `${origin}/id/${type}/${spec.uuid}`,
        origin,
        originVersion: spec.version,
        originUpdatedAt: new Date(Date.UTC(2026, 10, 1) + spec.version * 1000).toISOString(),
        schema: `https://transferhub.example/schema/${type}/1`,
        ...(op === 'upsert' ? { record: spec.record ?? { name: `${spec.uuid} v${spec.version}` } } : { deletedAt: '2026-11-30T00:00:00.000Z', reason: 'deleted' }),
      };
      return { ...unsigned, proof: signRecord(unsigned, { privateKey, verificationMethod }, new Date('2026-12-01T00:00:00Z')) } as ChangeEntry;
    },
  };
}
