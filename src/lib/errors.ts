/**
 * Errors the domain throws on purpose. The HTTP error handler turns each into
 * application/problem+json (RFC 9457) with `type` built from the stable slug.
 */
export type FieldError = { field: string; message: string };

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly slug: string,
    readonly title: string,
    detail: string,
    readonly errors: FieldError[] = [],
  ) {
    super(detail);
  }
}

export class BadRequest extends AppError {
  constructor(detail: string, errors: FieldError[] = []) {
    super(400, 'bad-request', 'Bad request', detail, errors);
  }
}
export class Unauthorized extends AppError {
  constructor(detail = 'A bearer token is required for this request.') {
    super(401, 'unauthorized', 'Unauthorized', detail);
  }
}
export class Forbidden extends AppError {
  constructor(detail: string) {
    super(403, 'forbidden', 'Forbidden', detail);
  }
}
export class NotFound extends AppError {
  constructor(what: string, key: string) {
    super(404, 'not-found', 'Not found', `${what} "${key}" does not exist.`);
  }
}
export class Conflict extends AppError {
  /** The record the request collides with, when there is one the client can read or update instead. */
  readonly existingId: string | undefined;
  constructor(detail: string, existing?: { id: string }) {
    super(409, 'conflict', 'Conflict', detail);
    this.existingId = existing?.id;
  }
}
/** A rate-limit budget is spent; `Retry-After` and the `RateLimit-*` headers say when it refills. */
export class TooManyRequests extends AppError {
  constructor(detail: string) {
    super(429, 'rate-limited', 'Too many requests', detail);
  }
}
/** A dependency is away for now; the answer carries `Retry-After` so clients wait instead of hammering. */
export class Unavailable extends AppError {
  constructor(
    detail: string,
    slug = 'unavailable',
    // 5 s: a restarting PostgreSQL or Redis is back within seconds; clients retrying sooner only add load.
    readonly retryAfterSeconds = 5,
  ) {
    super(503, slug, 'Service unavailable', detail);
  }
}
export class DatabaseUnavailable extends Unavailable {
  constructor(cause?: unknown) {
    super('The database is not reachable at the moment (restarting or overloaded). Nothing was changed by this request; retry shortly.', 'database.unavailable');
    this.cause = cause;
  }
}
export class QueueUnavailable extends Unavailable {
  constructor(cause?: unknown) {
    super('The job queue (Redis) is not reachable at the moment. Nothing was queued; retry shortly.', 'queue.unavailable');
    this.cause = cause;
  }
}

/**
 * The SQLSTATE of a database error, looked up through wrapping errors (drizzle wraps
 * driver errors in `cause`). Both pg and PGlite put the five-character code on `code`.
 */
export function sqlState(error: unknown): string | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}
