import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHub, type TestHub } from '../helpers/hub';

/*
 * The served OpenAPI document is generated from the route schemas; these tests make sure
 * no route is left out and every operation is usable by generators (operationId, tags).
 * (The committed openapi/openapi.json and its drift check live elsewhere.)
 */
let hub: TestHub;
type Operation = { operationId?: string; tags?: string[]; security?: unknown[]; responses?: Record<string, unknown> };
type Document = {
  openapi: string;
  info: { title: string; version: string };
  tags: { name: string }[];
  paths: Record<string, Record<string, Operation>>;
};
let doc: Document;

beforeAll(async () => {
  hub = await createTestHub();
  const response = await hub.app.inject('/openapi.json');
  expect(response.statusCode).toBe(200);
  doc = response.json();
});
afterAll(async () => hub?.close());

/**
 * Every route the app serves, as "METHOD /path/{param}", read from Fastify's route tree
 * (printRoutes without common prefixes: each node shows its segment and its methods).
 */
function servedRoutes(tree: string): string[] {
  const routes: string[] = [];
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^((?:│ {3}| {4})*)[├└]── (.+?) \(([A-Z, ]+)\)$/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    stack.length = depth;
    stack.push(match[2]!);
    const path = stack.join('').replace(/:(\w+)/g, '{$1}');
    for (const method of match[3]!.split(', ')) routes.push(`${method} ${path}`);
  }
  return routes;
}

const documented = () =>
  Object.entries(doc.paths).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`));

const operations = () =>
  Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ name: `${method.toUpperCase()} ${path}`, op })));

describe('the OpenAPI document at /openapi.json', () => {
  it('is OpenAPI 3.1.0 with a title and version', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.title).toEqual(expect.any(String));
    expect(doc.info.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('reading the route tree finds the routes it shows (so the next test cannot pass on an empty list)', () => {
    const served = servedRoutes(hub.app.printRoutes({ commonPrefix: false }));
    expect(served).toEqual(expect.arrayContaining(['GET /health', 'POST /v1/organisations', 'DELETE /v1/software/{id}/reuses/{reuseId}']));
    expect(served.length).toBeGreaterThan(20);
  });

  it('lists every route the app serves, except itself, the docs UI and the pages for people', () => {
    // Pages of src/web answer HTML and text to browsers; they are not API operations.
    // CORS preflights (OPTIONS /*, src/http/plugins/cors.ts) answer browsers, not API clients.
    // GET /metrics (src/http/plugins/metrics.ts) answers Prometheus in its text format, not API clients.
    const pages = [
      'GET /', 'GET /README.md', 'OPTIONS /*', 'GET /metrics',
      'GET /search', 'GET /software/{slug}', 'POST /software/{slug}/reuse', 'GET /organisations/{slug}', 'GET /programme',
      'GET /sign-in', 'POST /sign-in', 'POST /sign-out', 'GET /repositories/new', 'POST /repositories', 'GET /repositories/{id}',
      'GET /needs', 'GET /needs/new', 'GET /needs/{id}', 'POST /needs', 'POST /needs/{id}/join',
      'POST /software/{slug}/experience', 'POST /software/{slug}/experience/{id}/answer',
      'POST /software/{slug}/reuses/{id}/verify', 'POST /software/{slug}/reuses/{id}/withdraw',
      'GET /about', 'GET /favicon.ico',
      // German addresses a person types, answered with a 301 to the page (src/web/path-aliases.ts).
      'GET /suche', 'GET /software', 'GET /über', 'GET /ueber', 'GET /programm', 'GET /modellprojekte', 'GET /bedarfe',
      'GET /bedarfe/neu', 'GET /anmelden', 'GET /repositorien/neu', 'GET /organisationen/{slug}',
    ];
    // The pages' stylesheets, script and fonts (src/web/assets.ts).
    const asset = (route: string) => /^GET \/assets\//.test(route);
    const served = servedRoutes(hub.app.printRoutes({ commonPrefix: false })).filter(
      (route) => !route.startsWith('HEAD ') && !/^\w+ \/docs/.test(route) && !route.endsWith(' /openapi.json') && !pages.includes(route) && !asset(route),
    );
    expect(new Set(documented())).toEqual(new Set(served));
  });

  it('gives every operation a unique operationId', () => {
    const ids = operations().map(({ name, op }) => {
      expect(op.operationId, name).toMatch(/^[a-z][A-Za-z0-9]+$/);
      return op.operationId;
    });
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('gives every operation at least one tag, each declared in the document', () => {
    const declared = new Set(doc.tags.map((t) => t.name));
    for (const { name, op } of operations()) {
      expect(op.tags?.length, name).toBeGreaterThan(0);
      for (const tag of op.tags!) expect(declared, `${name}: tag "${tag}"`).toContain(tag);
    }
  });

  it('documents 401 and 403 on every operation that needs a bearer token', () => {
    const secured = operations().filter(({ op }) => op.security?.length);
    expect(secured.length).toBeGreaterThan(10);
    // The audit log refuses no valid token: it answers each with what that token may see.
    const refusesNoToken = ['GET /v1/audit-events'];
    for (const { name, op } of secured) {
      expect(Object.keys(op.responses ?? {}), name).toEqual(expect.arrayContaining(refusesNoToken.includes(name) ? ['401'] : ['401', '403']));
    }
  });

  it('marks every write under /v1 as needing a token, except the public validators and the signed webhooks', () => {
    const unguarded = operations()
      .filter(({ name, op }) => !name.startsWith('GET ') && !op.security?.length)
      .map(({ name }) => name)
      .filter((name) => !/^POST \/v1\/(tools|hooks)\//.test(name));
    expect(unguarded).toEqual([]);
  });

  it('is served to anyone, and the docs UI answers at /docs', async () => {
    expect((await hub.app.inject('/docs')).statusCode).toBeLessThan(400);
  });
});
