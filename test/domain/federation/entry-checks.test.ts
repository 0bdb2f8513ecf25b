import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ChangeEntry } from '../../../src/domain/federation/change-entry';
import { checkAhead, proofCheck, shapeProblem } from '../../../src/domain/federation/entry-checks';
import { signRecord } from '../../../src/domain/federation/proof';

const hub = 'https://hub-a.example';
const origin = generateKeyPairSync('ed25519');
const other = generateKeyPairSync('ed25519');
const method = `${hub}/federation/v1/keys#test`;

function signed(name: string): ChangeEntry {
  const value = {
    op: 'upsert',
    type: 'software',
    id: `${hub}/id/software/4b7b1f0e-2f7d-4a51-9c1e-0c9d7d1f1a10`,
    origin: hub,
    originVersion: 3,
    schema: `${hub}/federation/v1/schema/software`,
    record: { name },
  };
  return { ...value, proof: signRecord(value, { privateKey: origin.privateKey, verificationMethod: method }) } as ChangeEntry;
}

describe('entries checked ahead of their page', () => {
  it('give the decision the same answers as checking then, and only for the key they were checked with', async () => {
    const good = signed('Bürgerportal');
    const forged = { ...signed('Bürgerportal'), record: { name: 'Forged' } } as ChangeEntry;
    const malformed = { op: 'upsert', type: 'software' };
    await checkAhead([good, forged, malformed, null, 'text'], () => origin.publicKey);

    expect(shapeProblem(good)).toBeNull();
    expect(shapeProblem(malformed)).toMatch(/^schema: /);
    expect(proofCheck(good, origin.publicKey).valid).toBe(true);
    expect(proofCheck(forged, origin.publicKey).valid).toBe(false);
    // Checked ahead with the origin's key, decided with another (a key rotated meanwhile): checked again.
    expect(proofCheck(good, other.publicKey).valid).toBe(false);
    // Never checked ahead: checked when asked.
    const fresh = signed('Ratsinformation');
    expect(proofCheck(fresh, origin.publicKey).valid).toBe(true);
  });

  it('leave an entry without a pinned key to the decision', async () => {
    const entry = signed('Mängelmelder');
    await checkAhead([entry], () => null);
    expect(shapeProblem(entry)).toBeNull();
    expect(proofCheck(entry, origin.publicKey).valid).toBe(true);
  });
});
