import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Socket } from 'node:net';
import fp from 'fastify-plugin';
import { AppError, Conflict, sqlState, Unavailable, type FieldError } from '../../lib/errors';
import { databaseMessage } from '../../lib/log-redaction';
import { asDatabaseUnavailable } from '../../lib/unavailable';
import { WEB_URL_FORMAT, WEB_URL_MESSAGE } from '../../lib/web-url';

/** RFC 9457 problem details; `type` is a stable URI per error kind. */
export type Problem = {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: FieldError[];
  /** Extension member of a 409: the id of the record the request collides with. */
  existingId?: string;
};

const TYPE_BASE = 'https://transferhub.eu/problems/';

export function sendProblem(reply: FastifyReply, problem: Omit<Problem, 'type'> & { slug: string }) {
  const { slug, ...rest } = problem;
  return reply
    .status(problem.status)
    .type('application/problem+json')
    .send({ type: TYPE_BASE + slug, ...rest, instance: reply.request.url });
}

type AjvError = { keyword?: string; instancePath?: string; schemaPath?: string; message?: string; params?: Record<string, unknown>; parentSchema?: SchemaNode };
type SchemaNode = { enum?: unknown[]; const?: unknown; anyOf?: SchemaNode[]; properties?: Record<string, SchemaNode> };

/**
 * The values a missing property would accept, when its schema is a value list (Type.Enum, a union
 * of literals): "required property 'kind'" alone sends the reader to the OpenAPI document.
 */
function valuesOfMissing(issue: AjvError, missing: unknown): unknown[] | undefined {
  const property = issue.parentSchema?.properties?.[String(missing)];
  if (Array.isArray(property?.enum)) return property.enum;
  const branches = property?.anyOf;
  if (branches && branches.length > 0 && branches.every((branch) => 'const' in branch)) return branches.map((branch) => branch.const);
  return undefined;
}

/** The values an `enum`, `const` or `type: null` check accepts; undefined for any other check. */
function acceptedValues(issue: AjvError): unknown[] | undefined {
  if (issue.keyword === 'enum' && Array.isArray(issue.params?.allowedValues)) return issue.params.allowedValues;
  if (issue.keyword === 'const') return [issue.params?.allowedValue];
  if (issue.keyword === 'type' && issue.params?.type === 'null') return [null];
  return undefined;
}

const oneOf = (values: unknown[]) => `must be one of: ${values.map((value) => (typeof value === 'string' ? value : JSON.stringify(value))).join(', ')}`;

/**
 * ajv reports a failed `anyOf` (TypeBox's Nullable and unions of literals) as one error per
 * branch plus "must match a schema in anyOf", which tells the reader nothing. Such a group
 * becomes one message per field: the accepted values when every branch is a value list
 * ("must be one of: beta, stable, null"), or the non-null branch's message with "(or null)".
 * Groups of other shapes are left as ajv wrote them.
 */
function foldAlternatives(validation: AjvError[]): AjvError[] {
  const replaced = new Map<AjvError, AjvError[]>();
  for (const union of validation.filter((issue) => issue.keyword === 'anyOf')) {
    const branches = validation.filter((issue) => issue.schemaPath?.startsWith(`${union.schemaPath}/`));
    if (branches.length === 0 || branches.some((issue) => issue.instancePath !== union.instancePath || replaced.has(issue))) continue;
    const values = branches.map(acceptedValues);
    const nulls = branches.filter((issue) => issue.keyword === 'type' && issue.params?.type === 'null');
    let folded: AjvError[];
    if (values.every((list) => list !== undefined)) folded = [{ ...union, message: oneOf(values.flat()) }];
    else if (nulls.length === 1) folded = branches.filter((issue) => issue !== nulls[0]).map((issue) => ({ ...issue, message: `${issue.message} (or null)` }));
    else continue;
    // The folded errors take the place of the first branch; the rest of the group disappears.
    replaced.set(branches[0]!, folded);
    for (const issue of [...branches.slice(1), union]) replaced.set(issue, []);
  }
  return validation.flatMap((issue) => replaced.get(issue) ?? [issue]);
}

function fieldErrors(validation: AjvError[], context: string | undefined): FieldError[] {
  const seen = new Set<string>();
  return foldAlternatives(validation).map((issue) => {
    const missing = issue.params?.missingProperty;
    const extra = issue.params?.additionalProperty;
    const base = `${context ?? 'body'}${issue.instancePath ?? ''}`;
    const field = missing ? `${base}/${String(missing)}` : extra ? `${base}/${String(extra)}` : base;
    const allowed = issue.keyword === 'enum' ? acceptedValues(issue) : undefined;
    const webUrl = issue.keyword === 'format' && issue.params?.format === WEB_URL_FORMAT;
    const required = missing ? valuesOfMissing(issue, missing) : undefined;
    const message = extra ? `unknown property "${String(extra)}"`
      : required ? `is required and ${oneOf(required)}`
        : allowed ? oneOf(allowed) : webUrl ? WEB_URL_MESSAGE : (issue.message ?? 'invalid');
    return { field, message };
  }).filter(({ field, message }) => {
    // allErrors reports one failed pattern per anyOf branch; the reader needs it once.
    const key = `${field}\u0000${message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const SLUG_BY_STATUS: Record<number, [string, string]> = {
  400: ['bad-request', 'Bad request'],
  401: ['unauthorized', 'Unauthorized'],
  403: ['forbidden', 'Forbidden'],
  404: ['not-found', 'Not found'],
  405: ['method-not-allowed', 'Method not allowed'],
  406: ['not-acceptable', 'Not acceptable'],
  409: ['conflict', 'Conflict'],
  413: ['payload-too-large', 'Payload too large'],
  414: ['uri-too-long', 'URI too long'],
  415: ['unsupported-media-type', 'Unsupported media type'],
  429: ['too-many-requests', 'Too many requests'],
};

/**
 * Errors the router raises before any route or error handler runs (a path segment that is
 * not valid percent-encoding, a path parameter longer than the router allows). Passed to
 * Fastify as `frameworkErrors`, so these answers are problem+json like every other.
 */
export function frameworkErrorProblem(error: FastifyError, _request: FastifyRequest, reply: FastifyReply) {
  const status = error.statusCode ?? 400;
  const [slug, title] = SLUG_BY_STATUS[status] ?? ['bad-request', 'Bad request'];
  return sendProblem(reply, { slug, title, status, detail: error.message });
}

/**
 * Requests Node's HTTP parser rejects before Fastify sees them (raw UTF-8 in the request line,
 * oversized headers, a timed-out request): answered as problem+json on the socket, as Fastify's
 * `clientErrorHandler`. A reset connection has nobody left to answer.
 */
export function clientErrorProblem(error: Error & { code?: string }, socket: Socket) {
  // A reset connection has nobody to answer; a response already under way must not be interrupted.
  const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent === true;
  if (error.code === 'ECONNRESET' || !socket.writable || inFlight) {
    socket.destroy();
    return;
  }
  const [status, slug, title, detail] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'request-header-fields-too-large', 'Request header fields too large', 'The request headers are larger than the server accepts.']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'request-timeout', 'Request timeout', 'The request did not arrive in time.']
        : error.code === 'HPE_INVALID_URL'
          ? [400, 'bad-request', 'Bad request', 'The URL is not valid HTTP. Characters outside ASCII must be percent-encoded as UTF-8 (Mängelmelder → M%C3%A4ngelmelder).']
          : [400, 'bad-request', 'Bad request', 'The request is not valid HTTP.'];
  const body = JSON.stringify({ type: TYPE_BASE + slug, title, status, detail });
  // Written, then closed for good: a half-closed socket would be kept by the server.
  socket.end(
    `HTTP/1.1 ${status} ${title}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    () => socket.destroy(),
  );
}

/** notFoundPage: answers a path no route serves when it returns a reply (the web's HTML 404), else null for problem+json. */
async function problemPlugin(app: FastifyInstance, options: { notFoundPage?: (request: FastifyRequest, reply: FastifyReply) => unknown } = {}) {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    // A database that is away (restarting, refusing connections) is a 503 for reads and writes alike.
    const known = error instanceof AppError ? error : asDatabaseUnavailable(error);
    if (known) {
      if (known instanceof Unavailable) {
        // The driver's message only: drizzle's outer message carries the query parameters.
        request.log.warn({ code: known.slug, reason: databaseMessage(error) }, 'dependency unavailable, answered 503');
        reply.header('retry-after', String(known.retryAfterSeconds));
      }
      return sendProblem(reply, {
        slug: known.slug,
        title: known.title,
        status: known.status,
        detail: known.message,
        errors: known.errors.length ? known.errors : undefined,
        existingId: known instanceof Conflict ? known.existingId : undefined,
      });
    }
    if (error.validation) {
      return sendProblem(reply, {
        slug: 'validation',
        title: 'Validation failed',
        status: 400,
        detail: 'The request does not match the schema; see errors.',
        errors: fieldErrors(error.validation as AjvError[], error.validationContext),
      });
    }
    const state = sqlState(error);
    // Class 22 (data exception): a value the database cannot hold, such as a NUL character
    // in a text or a date outside its range. The input is at fault, so it is a 400.
    if (state?.startsWith('22')) {
      // `err` is logged as SQLSTATE and message without the values (src/lib/log-redaction.ts).
      request.log.warn({ err: error }, 'value rejected by the database');
      return sendProblem(reply, {
        slug: 'invalid-value',
        title: 'Invalid value',
        status: 400,
        detail: 'A value in the request cannot be stored (for example a NUL character or a date out of range).',
      });
    }
    // A unique constraint that a concurrent request won between our check and our insert.
    if (state === '23505') {
      return sendProblem(reply, {
        slug: 'conflict',
        title: 'Conflict',
        status: 409,
        detail: 'The request conflicts with an existing entry (created at the same moment); read it and retry if needed.',
      });
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const [slug, title] = SLUG_BY_STATUS[status] ?? ['client-error', 'Client error'];
      return sendProblem(reply, { slug, title, status, detail: error.message });
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendProblem(reply, {
      slug: 'internal',
      title: 'Internal server error',
      status: 500,
      detail: `Something went wrong on our side. Quote request id ${request.id} when reporting it.`,
    });
  });

  app.setNotFoundHandler((request, reply) =>
    options.notFoundPage?.(request, reply) ??
    sendProblem(reply, { slug: 'not-found', title: 'Not found', status: 404, detail: `No route ${request.method} ${request.url}.` }),
  );
}

export default fp(problemPlugin, { name: 'problem' });
