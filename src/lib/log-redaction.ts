import pino from 'pino';
import { sqlState } from './errors';

/**
 * Fields that hold credentials wherever they appear in a log object: request headers (should a
 * serializer ever log them), webhook signatures, and any `token`, `secret` or `password` one
 * level deep. Driver errors are handled by `serializeError`; the `err.*` paths are its backstop
 * for an error logged under `err` that a serializer did not reach.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-gitlab-token"]',
  'req.headers["x-hub-signature"]',
  'req.headers["x-hub-signature-256"]',
  'req.headers["x-gitea-signature"]',
  'req.headers["x-forgejo-signature"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'token',
  'secret',
  'password',
  '*.token',
  '*.secret',
  '*.password',
  'err.params',
  'err.parameters',
  'err.detail',
  'err.cause.params',
  'err.cause.parameters',
  'err.cause.detail',
];

/** drizzle's DrizzleQueryError ends its message with "\nparams: v1,v2,…" (drizzle-orm/errors.js). */
const PARAMS_TAIL = /\nparams: [\s\S]*?(?=\n {4}at |$)/g;
/** PostgreSQL quotes the offending value at the end of some messages ('invalid input syntax for type uuid: "…"'). */
const QUOTED_VALUE_TAIL = /: "[\s\S]*"$/;

/** A message or stack without drizzle's parameter list. */
export function withoutParams(text: string): string {
  return text.replace(PARAMS_TAIL, '\nparams: [redacted]');
}

/** An error raised by a database driver (or wrapping one): it has a SQLSTATE or carries query parameters. */
function isDatabaseError(error: Error): boolean {
  if (sqlState(error) !== undefined) return true;
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    if ('params' in current || 'parameters' in current) return true;
  }
  return false;
}

function innermost(error: Error): Error {
  let current = error;
  for (let depth = 0; current.cause instanceof Error && depth < 5; depth++) current = current.cause;
  return current;
}

/** The driver's own message without a value it quotes: what went wrong, never with what. */
export function databaseMessage(error: Error): string {
  return withoutParams(innermost(error).message).replace(QUOTED_VALUE_TAIL, ': "[redacted]"');
}

/**
 * pino's `err` serializer. A database error is logged as its SQLSTATE, the driver's message
 * without values, the constraint/table/column it names and the stack frames of our code:
 * drizzle's message, `.params`, PostgreSQL's `detail` ("Key (slug)=(…) already exists") and
 * node-postgres' `parameters` all repeat the query's values, which may be tokens or secrets
 * (one webhook secret once appeared three times in one entry). Other errors keep pino's form,
 * with any parameter list that a wrapped driver message carries removed.
 */
export function serializeError(value: unknown): unknown {
  if (typeof value === 'string') return withoutParams(value);
  if (!(value instanceof Error)) return value;
  if (isDatabaseError(value)) {
    const driver = innermost(value) as Error & { constraint?: string; table?: string; column?: string };
    const message = databaseMessage(value);
    const frames = (value.stack ?? '').split('\n').filter((line) => line.startsWith('    at '));
    return {
      type: value.constructor.name,
      code: sqlState(value),
      message,
      constraint: driver.constraint,
      table: driver.table,
      column: driver.column,
      stack: [`${value.constructor.name}: ${message}`, ...frames].join('\n'),
    };
  }
  const serialized = pino.stdSerializers.err(value) as { message: string; stack: string };
  return { ...serialized, message: withoutParams(serialized.message), stack: withoutParams(serialized.stack) };
}
