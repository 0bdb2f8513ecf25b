import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, bearer, createTestHub, organisationWithToken, type TestHub } from '../helpers/hub';
import { createSoftware, expectProblem } from './fixtures';

let hub: TestHub;
beforeAll(async () => {
  hub = await createTestHub();
});
afterAll(async () => hub?.close());

type AuditEvent = { id: string; at: string; actor: string; tokenId: string | null; organisationId: string | null; action: string; entityType: string; entityId: string };

/** Every page of GET /v1/audit-events?… as `headers`, following nextCursor. */
async function events(query: string, headers: Record<string, string>, limit = 100): Promise<AuditEvent[]> {
  const found: AuditEvent[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 100; pages++) {
    const url = `/v1/audit-events?limit=${limit}${query ? `&${query}` : ''}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const response = await hub.app.inject({ url, headers });
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json() as { items: AuditEvent[]; nextCursor: string | null };
    found.push(...body.items);
    cursor = body.nextCursor;
    if (cursor === null) return found;
  }
  throw new Error('more than 100 pages');
}

async function tokenIdOf(organisationId: string) {
  const [token] = (await hub.app.inject({ url: `/v1/organisations/${organisationId}/tokens`, headers: admin })).json().items;
  return token.id as string;
}

describe('GET /v1/audit-events', () => {
  let publisher: Awaited<ReturnType<typeof organisationWithToken>>;
  let other: Awaited<ReturnType<typeof organisationWithToken>>;
  let softwareId: string;
  let otherSoftwareId: string;
  let between: string;
  beforeAll(async () => {
    publisher = await organisationWithToken(hub.app, ['publish']);
    other = await organisationWithToken(hub.app, ['publish']);
    softwareId = (await createSoftware(hub.app, publisher.token, { organisationId: publisher.organisation.id, name: 'Protokollant' })).id;
    otherSoftwareId = (await createSoftware(hub.app, other.token, { organisationId: other.organisation.id, name: 'Fremdprotokoll' })).id;
    // Timestamps are microseconds apart at most; a pause makes "between" fall between two writes.
    await new Promise((resolve) => setTimeout(resolve, 20));
    between = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await hub.app.inject({ method: 'PATCH', url: `/v1/software/${softwareId}`, headers: bearer(publisher.token), payload: { licence: 'MIT' } });
    // The admin edits the publisher's software: the publisher sees that too.
    await hub.app.inject({ method: 'PATCH', url: `/v1/software/${softwareId}`, headers: admin, payload: { categories: ['it-security'] } });
    await hub.app.inject({ method: 'PATCH', url: `/v1/software/${otherSoftwareId}`, headers: bearer(other.token), payload: { licence: 'MIT' } });
  });

  it('without a token is a 401', async () => {
    expectProblem(await hub.app.inject('/v1/audit-events'), 401);
  });

  it('the admin filters by entity and reads its history newest first, naming the actor', async () => {
    const history = await events(`entityType=software&entityId=${softwareId}`, admin);
    const tokenId = await tokenIdOf(publisher.organisation.id);
    expect(history.map((e) => [e.action, e.tokenId, e.organisationId])).toEqual([
      ['software.update', null, null],
      ['software.update', tokenId, publisher.organisation.id],
      ['software.create', tokenId, publisher.organisation.id],
    ]);
    expect(history[0]!.actor).toContain('admin');
  });

  it('the admin filters by actor: one token, or the admin from the environment', async () => {
    const tokenId = await tokenIdOf(publisher.organisation.id);
    const byToken = await events(`actor=${tokenId}`, admin);
    expect(byToken.map((e) => e.action).sort()).toEqual(['software.create', 'software.update']);
    const byAdmin = await events('actor=admin', admin);
    expect(byAdmin.length).toBeGreaterThan(0);
    expect(byAdmin.every((e) => e.tokenId === null)).toBe(true);
  });

  it('from and to cut the time range (from inclusive, to exclusive)', async () => {
    const later = await events(`from=${between}&entityType=software`, admin);
    expect(later.map((e) => e.entityId).sort()).toEqual([softwareId, softwareId, otherSoftwareId].sort());
    const earlier = await events(`to=${between}&entityType=software`, admin);
    expect(earlier.map((e) => [e.action, e.entityId]).sort()).toEqual([['software.create', otherSoftwareId], ['software.create', softwareId]].sort());
  });

  it('pages of two follow each other without gaps or repeats', async () => {
    const all = await events('', admin);
    expect(all.length).toBeGreaterThan(5);
    expect((await events('', admin, 2)).map((e) => e.id)).toEqual(all.map((e) => e.id));
    const times = all.map((e) => Date.parse(e.at));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it("an organisation's token sees its own entries: what its tokens did and what was done to its records, nothing else", async () => {
    const mine = await events('', bearer(publisher.token));
    expect(mine.filter((e) => e.entityId === softwareId).map((e) => e.action)).toEqual(['software.update', 'software.update', 'software.create']);
    expect(mine.some((e) => e.entityType === 'organisation' && e.entityId === publisher.organisation.id)).toBe(true);
    expect(mine.some((e) => e.entityType === 'api_token' && e.action === 'token.create')).toBe(true);
    expect(mine.filter((e) => e.entityId === otherSoftwareId || e.entityId === other.organisation.id)).toEqual([]);
  });

  it('an actor that is neither a token id nor "admin" is a 400 naming the field', async () => {
    const response = await hub.app.inject({ url: '/v1/audit-events?actor=somebody', headers: admin });
    expectProblem(response, 400);
    expect(response.json().errors[0].field).toBe('querystring/actor');
  });
});
