import { refused } from '../../lib/refusals';

/**
 * The opaque cursors of the feed: base64url of `1:<epoch>:<seq>` (changes) and
 * `1:<epoch>:<asOf seq>:<type>:<last uuid>` (snapshot pages). The leading version lets the format
 * change without breaking peers' stored cursors; the epoch makes a cursor of a reset log fail (410).
 */
const VERSION = '1';

export type ChangesCursor = { epoch: string; seq: number };
export type SnapshotToken = { epoch: string; asOf: number; type: string; after: string };

export function encodeChangesCursor(cursor: ChangesCursor): string {
  return Buffer.from(`${VERSION}:${cursor.epoch}:${cursor.seq}`).toString('base64url');
}

function parts(text: string, field: string, count: number): string[] {
  const decoded = /^[A-Za-z0-9_-]*$/.test(text) ? Buffer.from(text, 'base64url').toString('utf8').split(':') : [];
  if (decoded.length !== count || decoded[0] !== VERSION) {
    throw refused(400, 'federation.cursor_invalid', 'The cursor is not one this hub handed out.', [{ field, message: 'invalid cursor' }]);
  }
  return decoded;
}

export function decodeChangesCursor(text: string, field = 'since'): ChangesCursor {
  const [, epoch, seq] = parts(text, field, 3);
  if (!/^\d{1,15}$/.test(seq!)) throw refused(400, 'federation.cursor_invalid', 'The cursor is not one this hub handed out.', [{ field, message: 'invalid cursor' }]);
  return { epoch: epoch!, seq: Number(seq) };
}

export function encodeSnapshotToken(token: SnapshotToken): string {
  return Buffer.from(`${VERSION}:${token.epoch}:${token.asOf}:${token.type}:${token.after}`).toString('base64url');
}

export function decodeSnapshotToken(text: string): SnapshotToken {
  const [, epoch, asOf, type, after] = parts(text, 'after', 5);
  if (!/^\d{1,15}$/.test(asOf!) || !/^[0-9a-f-]{36}$/.test(after!)) {
    throw refused(400, 'federation.cursor_invalid', 'The snapshot token is not one this hub handed out.', [{ field: 'after', message: 'invalid token' }]);
  }
  return { epoch: epoch!, asOf: Number(asOf), type: type!, after: after! };
}
