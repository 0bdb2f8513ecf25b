/** Format and width from the first bytes of an image, the way Go's image.DecodeConfig answers. */
export type ImageHeader = { format: 'png' | 'jpeg' | 'gif'; width: number } | { error: string };

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export function readImageHeader(bytes: Uint8Array): ImageHeader {
  if (PNG_SIGNATURE.every((b, i) => bytes[i] === b)) return png(bytes);
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return jpeg(bytes);
  const gif = String.fromCharCode(...bytes.subarray(0, 6));
  if (gif === 'GIF87a' || gif === 'GIF89a') {
    if (bytes.length < 10) return { error: 'unexpected EOF' };
    return { format: 'gif', width: bytes[6]! | (bytes[7]! << 8) };
  }
  return { error: 'image: unknown format' };
}

function png(bytes: Uint8Array): ImageHeader {
  if (bytes.length < 24) return { error: 'unexpected EOF' };
  const type = String.fromCharCode(...bytes.subarray(12, 16));
  if (type !== 'IHDR') return { error: 'png: invalid format: chunk out of order' };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { format: 'png', width: view.getUint32(16) };
}

function jpeg(bytes: Uint8Array): ImageHeader {
  let i = 2;
  while (i + 9 < bytes.length) {
    if (bytes[i] !== 0xff) return { error: 'invalid JPEG format: missing 0xff marker start' };
    const marker = bytes[i + 1]!;
    if (marker === 0xff) {
      i += 1;
      continue;
    }
    const length = (bytes[i + 2]! << 8) | bytes[i + 3]!;
    // SOF0–SOF15 carry the frame size; C4 (DHT), C8 (JPG) and CC (DAC) share the range but do not.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { format: 'jpeg', width: (bytes[i + 7]! << 8) | bytes[i + 8]! };
    }
    i += 2 + length;
  }
  return { error: 'unexpected EOF' };
}
