/**
 * Base58btc (the Bitcoin alphabet), as multibase `z`: the encoding eddsa-jcs-2022 prescribes for
 * `proofValue`. Twenty lines here rather than a dependency for 64-byte signatures.
 */
const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

export function base58Encode(bytes: Uint8Array): string {
  let value = 0n;
  for (const byte of bytes) value = value * 256n + BigInt(byte);
  let text = '';
  while (value > 0n) {
    text = ALPHABET[Number(value % 58n)] + text;
    value /= 58n;
  }
  // Leading zero bytes are leading '1's, or they would vanish in the number.
  for (const byte of bytes) {
    if (byte !== 0) break;
    text = '1' + text;
  }
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
