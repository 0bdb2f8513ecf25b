import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { expect } from 'vitest';
import { admin, bearer, organisationWithToken, type TestHub } from '../helpers/hub';

/** Small builders over the public API, so each test states only what it is about. */

export type Org = { id: string; slug: string; name: string };
export type Software = { id: string; slug: string; name: string; organisation: Org };

export async function createSoftware(
  app: FastifyInstance,
  token: string,
  body: Record<string, unknown> & { organisationId: string },
): Promise<Software> {
  const response = await app.inject({
    method: 'POST',
    url: '/v1/software',
    headers: bearer(token),
    payload: { name: `Software ${Math.random().toString(36).slice(2, 8)}`, ...body },
  });
  if (response.statusCode !== 201) throw new Error(`creating software failed: ${response.body}`);
  return response.json();
}

/** A publishing organisation with a publish token and one software entry. */
export async function publisherWithSoftware(app: FastifyInstance, software: Record<string, unknown> = {}) {
  const publisher = await organisationWithToken(app, ['publish']);
  const entry = await createSoftware(app, publisher.token, { organisationId: publisher.organisation.id, ...software });
  return { ...publisher, software: entry };
}

export async function createOrganisation(app: FastifyInstance, body: Record<string, unknown>): Promise<Org> {
  const response = await app.inject({ method: 'POST', url: '/v1/organisations', headers: admin, payload: body });
  if (response.statusCode !== 201) throw new Error(`creating an organisation failed: ${response.body}`);
  return response.json();
}

/** Asserts an RFC 9457 problem answer and returns its body. */
export function expectProblem(response: LightMyRequestResponse, status: number) {
  expect(response.statusCode, response.body).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  const problem = response.json() as {
    type: string;
    title: string;
    status: number;
    detail: string;
    errors?: { field: string; message: string }[];
    existingId?: string;
  };
  expect(problem).toMatchObject({ status, type: expect.stringMatching(/^https:\/\//), title: expect.any(String), detail: expect.any(String) });
  expect(response.body).not.toMatch(/\bat [\w.<>]+ \(|node_modules|\.ts:\d+/);
  return problem;
}

/** The fields a validation problem names, e.g. ["body/name", "/ags"]. */
export function problemFields(response: LightMyRequestResponse): string[] {
  return ((response.json() as { errors?: { field: string }[] }).errors ?? []).map((e) => e.field);
}

/** Reads the hub's own database directly; only tests do this, to see what the API cannot show. */
export async function queryDatabase<T extends pg.QueryResultRow>(hub: TestHub, text: string, values: unknown[] = []) {
  // The driver's own client (pg's pool or PGlite): both answer query(text, values) with { rows }.
  const client = (hub.deps.database.db as unknown as { $client: { query(text: string, values: unknown[]): Promise<{ rows: T[] }> } }).$client;
  return (await client.query(text, values)).rows;
}

/** Follows nextCursor until the end; fails on a page larger than the limit. */
export async function walkPages<T extends { id: string }>(app: FastifyInstance, url: string, limit: number) {
  const seen: T[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const separator = url.includes('?') ? '&' : '?';
    const query: string = `${separator}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const response = await app.inject(url + query);
    expect(response.statusCode, response.body).toBe(200);
    const page = response.json() as { items: T[]; nextCursor: string | null };
    expect(page.items.length).toBeLessThanOrEqual(limit);
    seen.push(...page.items);
    cursor = page.nextCursor;
    pages += 1;
    if (pages > 1000) throw new Error('pagination does not end');
  } while (cursor !== null);
  return { items: seen, pages };
}
