import { DatabaseUnavailable, sqlState } from './errors';

/**
 * SQLSTATEs meaning "the database is away", not "the request is wrong": class 08 (connection
 * exception), 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now (starting
 * up or shutting down), 53300 too_many_connections (a restart's reconnect storm).
 */
function unavailableState(state: string): boolean {
  return state.startsWith('08') || state === '57P01' || state === '57P02' || state === '57P03' || state === '53300';
}

// Socket failures reaching the database server (refused while it restarts, reset when it stops).
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

// node-postgres reports a lost or never-made connection with these messages and no code. A pool
// or client we closed ourselves ("Cannot use a pool after calling end") is our fault: a 500.
const DRIVER_MESSAGES = ['Connection terminated', 'connection error and is not queryable', 'timeout exceeded when trying to connect'];

/**
 * The one place that decides whether a database error means "unavailable" (answer 503 and
 * retry later) rather than a fault of ours or of the request. Looks through wrapping errors
 * (drizzle puts the driver's error in `cause`). Returns the typed error, or null.
 */
export function asDatabaseUnavailable(error: unknown): DatabaseUnavailable | null {
  if (error instanceof DatabaseUnavailable) return error;
  const state = sqlState(error);
  if (state !== undefined) return unavailableState(state) ? new DatabaseUnavailable(error) : null;
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return new DatabaseUnavailable(error);
    if (DRIVER_MESSAGES.some((message) => current instanceof Error && current.message.includes(message))) return new DatabaseUnavailable(error);
    // Node's AggregateError (every address of "localhost" refused) carries the codes in `errors`.
    if (current instanceof AggregateError && current.errors.some((inner) => asDatabaseUnavailable(inner) !== null)) return new DatabaseUnavailable(error);
  }
  return null;
}
