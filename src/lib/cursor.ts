import { BadRequest } from './errors';

/**
 * Opaque pagination cursors: the sort key of the last item, base64url-encoded JSON.
 * Clients must not build them; a cursor that does not decode is a 400, not a 500.
 */
export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string | undefined, arity: number): (string | number)[] | null {
  if (cursor === undefined || cursor === '') return null;
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(key) &&
      key.length === arity &&
      key.every((part) => typeof part === 'string' || typeof part === 'number')
    ) {
      return key;
    }
  } catch {
    // fall through to the 400 below
  }
  throw new BadRequest('The cursor is not one this API handed out.', [{ field: 'cursor', message: 'invalid cursor' }]);
}

/** Takes one item more than the page to know whether a next page exists. */
export function page<T>(rows: T[], limit: number, keyOf: (row: T) => (string | number)[]) {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  const nextCursor = rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null;
  return { items, nextCursor };
}

/**
 * A cursor of a list in another order than its natural key: the sort's name, the last item's
 * sort key (null for an item without one, such as no release yet) and its unique tiebreaker.
 * The sort's name is part of it, so a cursor is never read under another order.
 */
export type SortedAfter = { key: string | null; tiebreak: string };

export function encodeSortedCursor(sort: string, after: SortedAfter): string {
  return Buffer.from(JSON.stringify([sort, after.key, after.tiebreak])).toString('base64url');
}

export function decodeSortedCursor(cursor: string | undefined, sort: string): SortedAfter | null {
  if (cursor === undefined || cursor === '') return null;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    key = null;
  }
  if (Array.isArray(key) && key.length === 3 && typeof key[0] === 'string' && (typeof key[1] === 'string' || key[1] === null) && typeof key[2] === 'string') {
    if (key[0] === sort) return { key: key[1], tiebreak: key[2] };
    throw new BadRequest(`The cursor belongs to sort=${key[0]}, not sort=${sort}; start again without a cursor.`, [
      { field: 'cursor', message: `cursor of sort=${key[0]}` },
    ]);
  }
  throw new BadRequest('The cursor is not one this API handed out.', [{ field: 'cursor', message: 'invalid cursor' }]);
}
