import { createHash, sign, verify, type KeyObject } from 'node:crypto';
import { base58Decode, base58Encode } from './base58';
import { jcsBytes } from './jcs';

/**
 * The origin proof of a change entry (design: "Record proof"), built like the W3C Data Integrity
 * cryptosuite `eddsa-jcs-2022`: Ed25519 over SHA-256(JCS(proofConfig)) ‖ SHA-256(JCS(document)).
 * The document is the entry without `proof` and without the hop-local fields `seq` and `via`, so
 * the origin signs once and relays pass the proof through unchanged.
 */
export const PROOF_CRYPTOSUITE = 'eddsa-jcs-2022' as const;

export type RecordProof = {
  type: 'DataIntegrityProof';
  cryptosuite: typeof PROOF_CRYPTOSUITE;
  /** `{hub}/federation/v1/keys#{kid}`: which key of which hub signed. */
  verificationMethod: string;
  /** ISO 8601, informative: order comes from originVersion, never from clocks. */
  created: string;
  proofPurpose: 'assertionMethod';
  /** Multibase base58btc (`z…`) of the 64-byte Ed25519 signature, as the cryptosuite prescribes. */
  proofValue: string;
};

/** Fields that never enter the signed form: the proof itself and what each hop rewrites. */
const UNSIGNED_FIELDS = ['proof', 'seq', 'via'] as const;

function signedDocument(entry: Record<string, unknown>): Record<string, unknown> {
  const document = { ...entry };
  for (const field of UNSIGNED_FIELDS) delete document[field];
  return document;
}

function sha256(bytes: Buffer): Buffer {
  return createHash('sha256').update(bytes).digest();
}

/**
 * SHA-256 of the signed form of an entry: the second half of what the proof signs, and also the
 * entry's content digest (entryDigest), so an applier canonicalises each entry once, not twice.
 */
export function documentHash(entry: Record<string, unknown>): Buffer {
  return sha256(jcsBytes(signedDocument(entry)));
}

/** The 64 bytes that Ed25519 signs: hash of the proof options, then hash of the document. */
export function proofHashData(entry: Record<string, unknown>, proof: Omit<RecordProof, 'proofValue'>, hash: Buffer = documentHash(entry)): Buffer {
  const proofConfig: Record<string, unknown> = { ...proof };
  delete proofConfig.proofValue;
  return Buffer.concat([sha256(jcsBytes(proofConfig)), hash]);
}

export function signRecord(
  entry: Record<string, unknown>,
  key: { privateKey: KeyObject; verificationMethod: string },
  created: Date = new Date(),
): RecordProof {
  const options = {
    type: 'DataIntegrityProof' as const,
    cryptosuite: PROOF_CRYPTOSUITE,
    verificationMethod: key.verificationMethod,
    created: created.toISOString(),
    proofPurpose: 'assertionMethod' as const,
  };
  // Ed25519 takes no digest algorithm: node:crypto wants null here.
  const signature = sign(null, proofHashData(entry, options), key.privateKey);
  return { ...options, proofValue: 'z' + base58Encode(signature) };
}

/**
 * True only if `entry.proof` is a well-formed proof of this suite and verifies with `publicKey`
 * (`hash`: documentHash(entry), when the caller has it already).
 * Which key to use (verificationMethod → pinned JWK) is the caller's decision, never the entry's.
 */
export function verifyRecord(entry: Record<string, unknown>, publicKey: KeyObject, hash?: Buffer): boolean {
  const proof = entry.proof as Partial<RecordProof> | undefined;
  if (!proof || proof.type !== 'DataIntegrityProof' || proof.cryptosuite !== PROOF_CRYPTOSUITE) return false;
  if (typeof proof.proofValue !== 'string' || !proof.proofValue.startsWith('z')) return false;
  const signature = base58Decode(proof.proofValue.slice(1));
  if (signature?.length !== 64) return false;
  const { proofValue: _ignored, ...options } = proof;
  try {
    return verify(null, proofHashData(entry, options as Omit<RecordProof, 'proofValue'>, hash), publicKey, signature);
  } catch {
    return false;
  }
}
