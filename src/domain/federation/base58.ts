/**
 * Base58btc (the Bitcoin alphabet), as multibase `z`: the encoding eddsa-jcs-2022 prescribes for
 * `proofValue`. Our own few lines rather than a dependency for 64-byte signatures.
 */
const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

/** Limbs of four base-58 digits: a limb times 2^24 plus a carry stays an exact double (< 2^53). */
const LIMB = 58 ** 4;
const BYTES_PER_STEP = 3;

/**
 * Base conversion into limbs of 58^4 (little-endian), three bytes per step: every entry we serve
 * is signed and encoded as it is served, and the BigInt version took 7 % of hub A's API CPU in a
 * 100,000-entry bootstrap.
 */
export function base58Encode(bytes: Uint8Array): string {
  let zeros = 0;
  while (zeros < bytes.length && bytes[zeros] === 0) zeros++;
  const limbs: number[] = [];
  // The first step takes the odd bytes, so that every later step takes three.
  let width = (bytes.length - zeros) % BYTES_PER_STEP || BYTES_PER_STEP;
  for (let i = zeros; i < bytes.length; i += width, width = BYTES_PER_STEP) {
    let carry = 0;
    for (let k = i; k < i + width; k++) carry = carry * 256 + bytes[k]!;
    const scale = 256 ** width;
    for (let j = 0; j < limbs.length; j++) {
      const value = limbs[j]! * scale + carry;
      carry = Math.floor(value / LIMB);
      limbs[j] = value - carry * LIMB;
    }
    for (; carry > 0; carry = Math.floor(carry / LIMB)) limbs.push(carry % LIMB);
  }
  // Four digits per limb, most significant first; the top limb's leading zero digits are not part
  // of the number, and each leading zero byte is one '1'.
  const digits = new Uint8Array(limbs.length * 4);
  for (let j = 0; j < limbs.length; j++) {
    let value = limbs[j]!;
    for (let k = 0; k < 4; k++, value = Math.floor(value / 58)) digits[digits.length - 1 - (j * 4 + k)] = value % 58;
  }
  let top = 0;
  while (top < digits.length && digits[top] === 0) top++;
  let text = '1'.repeat(zeros);
  for (let i = top; i < digits.length; i++) text += ALPHABET[digits[i]!];
  return text;
}

const DIGIT = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DIGIT[ALPHABET.charCodeAt(i)] = i;

/**
 * null for any character outside the alphabet. Base conversion on a byte array (little-endian,
 * base 256) rather than BigInt: every entry's proof is decoded, and the BigInt version took 2.5 %
 * of B's worker CPU in a 100,000-entry bootstrap.
 */
export function base58Decode(text: string): Buffer | null {
  const digits: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    let carry = code < 128 ? DIGIT[code]! : -1;
    if (carry < 0) return null;
    for (let j = 0; j < digits.length; j++) {
      carry += digits[j]! * 58;
      digits[j] = carry & 0xff;
      carry >>= 8;
    }
    for (; carry > 0; carry >>= 8) digits.push(carry & 0xff);
  }
  // Leading '1's are leading zero bytes, which the number does not hold.
  let zeros = 0;
  while (zeros < text.length && text[zeros] === '1') zeros++;
  const bytes = Buffer.alloc(zeros + digits.length);
  for (let j = 0; j < digits.length; j++) bytes[bytes.length - 1 - j] = digits[j]!;
  return bytes;
}
