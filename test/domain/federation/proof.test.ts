import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { base58Decode, base58Encode } from '../../../src/domain/federation/base58';
import { signRecord, verifyRecord } from '../../../src/domain/federation/proof';

const hub = 'https://hub-a.example';
const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const signer = { privateKey, verificationMethod: `${hub}/federation/v1/keys#test` };

function entry(): Record<string, unknown> {
  return {
    op: 'upsert',
    type: 'software',
    id: `${hub}/id/software/4b7b1f0e-2f7d-4a51-9c1e-0c9d7d1f1a10`,
    origin: hub,
    originVersion: 3,
    record: { name: 'Bürgerbeteiligung', licence: 'EUPL-1.2', tags: ['beteiligung'] },
  };
}

function signed(): Record<string, unknown> {
  const value = entry();
  return { ...value, seq: 17, via: [hub], proof: signRecord(value, signer, new Date('2026-12-01T00:00:00Z')) };
}

describe('record origin proof (eddsa-jcs-2022 construction)', () => {
  it('verifies an entry signed by the origin with the origin key', () => {
    const value = signed();
    expect(value.proof).toMatchObject({ type: 'DataIntegrityProof', cryptosuite: 'eddsa-jcs-2022', proofPurpose: 'assertionMethod' });
    expect(verifyRecord(value, publicKey)).toBe(true);
  });

  it('still verifies after a relay rewrites seq and via, and with properties in another order', () => {
    const value = signed();
    const relayed = { proof: value.proof, via: [hub, 'https://hub-b.example'], seq: 9001, ...entry() };
    expect(verifyRecord(relayed, publicKey)).toBe(true);
  });

  it('fails when a field of the record is changed', () => {
    const value = signed();
    const tampered = { ...value, record: { ...(value.record as object), licence: 'MIT' } };
    expect(verifyRecord(tampered, publicKey)).toBe(false);
    expect(verifyRecord({ ...value, originVersion: 4 }, publicKey)).toBe(false);
  });

  it('fails when the proof options are changed, since they are signed too', () => {
    const value = signed();
    const proof = { ...(value.proof as object), created: '2030-01-01T00:00:00.000Z' };
    expect(verifyRecord({ ...value, proof }, publicKey)).toBe(false);
  });

  it('fails with another key, a missing proof or a malformed signature', () => {
    const value = signed();
    expect(verifyRecord(value, generateKeyPairSync('ed25519').publicKey)).toBe(false);
    expect(verifyRecord(entry(), publicKey)).toBe(false);
    expect(verifyRecord({ ...value, proof: { ...(value.proof as object), proofValue: 'z0OIl' } }, publicKey)).toBe(false);
    expect(verifyRecord({ ...value, proof: { ...(value.proof as object), cryptosuite: 'eddsa-rdfc-2022' } }, publicKey)).toBe(false);
  });
});

describe('base58btc', () => {
  it('encodes the multibase spec example and keeps leading zero bytes', () => {
    // draft-multiformats-multibase: "Decentralize everything!!" is zUXE7GvtEk8XTXs1GF8HSGbVA9FCX9SEBPe in base58btc.
    expect(base58Encode(Buffer.from('Decentralize everything!!'))).toBe('UXE7GvtEk8XTXs1GF8HSGbVA9FCX9SEBPe');
    const bytes = Buffer.from([0, 0, 1, 2, 255]);
    expect(base58Decode(base58Encode(bytes))).toEqual(bytes);
  });

  it('encodes the IETF base58 draft examples, zero bytes only and the empty string', () => {
    // draft-msporny-base58: "Hello World!" and the bytes 00 00 28 7f b4 cd.
    expect(base58Encode(Buffer.from('Hello World!'))).toBe('2NEpo7TZRRrLZSi2U');
    expect(base58Encode(Buffer.from([0x00, 0x00, 0x28, 0x7f, 0xb4, 0xcd]))).toBe('11233QC4');
    expect(base58Encode(Buffer.from([0, 0, 0]))).toBe('111');
    expect(base58Encode(Buffer.alloc(0))).toBe('');
  });

  it('round-trips signatures and other byte strings of every length up to 80', () => {
    for (let length = 0; length <= 80; length++) {
      const bytes = Buffer.from(Array.from({ length }, (_, i) => (i * 97 + length * 31) % 256));
      if (length % 3 === 0 && length > 0) bytes[0] = 0;
      expect(base58Decode(base58Encode(bytes))).toEqual(bytes);
    }
  });
});
