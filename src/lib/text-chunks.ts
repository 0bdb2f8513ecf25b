/**
 * Joins small pieces of text into chunks of at least `size` characters (the last one shorter), for
 * a streamed response: one socket write per chunk instead of one per piece, and no single string
 * of the whole body. 64 KiB: the size of a stream's default buffer (highWaterMark) and of a
 * loopback socket write; the pieces and chunks die young, where garbage collection costs little.
 */
export function* textChunks(pieces: Iterable<string>, size = 64 * 1024): Generator<string> {
  let chunk = '';
  for (const piece of pieces) {
    chunk += piece;
    if (chunk.length >= size) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk !== '') yield chunk;
}
