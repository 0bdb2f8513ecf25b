import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type pg from 'pg';
import { admin, bearer, createTestHub, onPglite, organisationWithToken, type TestHub } from '../helpers/hub';
import { createSoftware, expectProblem, queryDatabase } from './fixtures';
import { createJobHandlers } from '../../src/domain/job-handlers';
import { matchNeedsJob } from '../../src/jobs/match-needs.job';

let hub: TestHub;
let publisher: { organisation: { id: string; slug: string }; token: string };
let mangel: { id: string; slug: string };

beforeAll(async () => {
  hub = await createTestHub();
  publisher = await organisationWithToken(hub.app, ['publish'], 'Stadt Meldeburg');
  mangel = await createSoftware(hub.app, publisher.token, {
    organisationId: publisher.organisation.id,
    name: 'Mängelmelder',
    shortDescription: { de: 'Bürgerinnen und Bürger melden Schäden im Stadtgebiet per App.' },
  });
  await createSoftware(hub.app, publisher.token, { organisationId: publisher.organisation.id, name: 'Baumkataster', shortDescription: { de: 'Straßenbäume erfassen und pflegen.' } });
});
afterAll(async () => hub?.close());

type Need = {
  id: string;
  status: string;
  matchedAt: string | null;
  supporterCount: number;
  matches: { software: { slug: string }; explanation: { query: string; matched: string[] }; reusedBy: { organisation: { id: string } }[] }[];
  supporters: { organisation: { id: string } }[];
};

const post = (token: string, body: Record<string, unknown>) => hub.app.inject({ method: 'POST', url: '/v1/needs', headers: bearer(token), payload: body });
const get = async (id: string) => (await hub.app.inject(`/v1/needs/${id}`)).json() as Need;
/** The matching runs as a job after the request (in-process runner or a worker): wait for it. */
const matched = (id: string) => vi.waitFor(async () => {
  const need = await get(id);
  if (need.matchedAt === null) throw new Error('not matched yet');
  return need;
}, { timeout: 20_000, interval: 100 });

describe('posting a need', () => {
  it('an organisation posts a need with its reuse token; the hub attaches matching software with an explanation and who reuses it', async () => {
    const city = await organisationWithToken(hub.app, ['reuse'], 'Gemeinde Suchdorf');
    const reuser = await organisationWithToken(hub.app, ['reuse'], 'Stadt Nutzhausen');
    await hub.app.inject({ method: 'POST', url: `/v1/software/${mangel.id}/reuses`, headers: bearer(reuser.token), payload: { status: 'production' } });
    const response = await post(city.token, {
      title: 'Mängelmelder für unsere Bürger',
      description: 'Wir suchen eine App, mit der Schäden im Stadtgebiet gemeldet werden.',
      categories: ['verwaltung'],
      deadline: '2027-06-30',
      budgetBand: '10–50k',
    });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toMatchObject({ status: 'open', organisation: { id: city.organisation.id }, budgetBand: '10–50k', deadline: '2027-06-30' });
    const need = await matched(response.json().id);
    expect(need.status).toBe('matched');
    expect(need.matches[0]).toMatchObject({ software: { slug: mangel.slug }, explanation: { matched: expect.arrayContaining(['name']) } });
    expect(need.matches[0]!.reusedBy.map((r) => r.organisation.id)).toEqual([reuser.organisation.id]);
    expect(need.matches.map((m) => m.software.slug)).not.toContain('baumkataster');
  });

  it('a publish token may post too; an unknown budget band is a 400', async () => {
    expect((await post(publisher.token, { title: 'Baumkataster gesucht', description: 'Für die Grünflächenpflege.' })).statusCode).toBe(201);
    expectProblem(await post(publisher.token, { title: 'Etwas', description: 'x', budgetBand: 'viel' }), 400);
  });

  it('a need whose words match nothing stays open with no matches', async () => {
    const city = await organisationWithToken(hub.app, ['reuse']);
    const need = await matched((await post(city.token, { title: 'Quantenkryptographie', description: 'Xylophon Zeppelin' })).json().id);
    expect(need).toMatchObject({ status: 'open', matches: [] });
  });

  it('when the catalogue changes, the scheduled re-matching finds software that is new', async () => {
    const city = await organisationWithToken(hub.app, ['reuse']);
    const id = (await post(city.token, { title: 'Friedhofsverwaltung', description: 'Grabstellen und Gebühren verwalten.' })).json().id;
    expect((await matched(id)).matches).toEqual([]);
    const created = await createSoftware(hub.app, publisher.token, { organisationId: publisher.organisation.id, name: 'Friedhofsverwaltung Online' });
    // The scheduled job without a need id: what the scheduler runs every interval.
    await createJobHandlers(hub.deps.hub)[matchNeedsJob.name]!({}, { jobId: 't', attempt: 1, maxAttempts: 1, updateProgress: async () => {}, signal: new AbortController().signal });
    const need = await get(id);
    expect(need).toMatchObject({ status: 'matched', matches: [{ software: { slug: created.slug } }] });
  });
});

describe('joining, changing and listing needs', () => {
  it('another organisation joins ("we need this too") once; the poster cannot join its own need', async () => {
    const city = await organisationWithToken(hub.app, ['reuse']);
    const other = await organisationWithToken(hub.app, ['publish']);
    const { id } = (await post(city.token, { title: 'Parkraumsensorik', description: 'Freie Parkplätze erkennen.' })).json();
    const joined = await hub.app.inject({ method: 'POST', url: `/v1/needs/${id}/supporters`, headers: bearer(other.token), payload: {} });
    expect(joined.statusCode, joined.body).toBe(201);
    expect(joined.json()).toMatchObject({ supporterCount: 1, supporters: [{ organisation: { id: other.organisation.id } }] });
    const again = await hub.app.inject({ method: 'POST', url: `/v1/needs/${id}/supporters`, headers: bearer(other.token), payload: {} });
    expect(expectProblem(again, 409).type).toMatch(/need\.already_joined$/);
    const own = await hub.app.inject({ method: 'POST', url: `/v1/needs/${id}/supporters`, headers: bearer(city.token), payload: {} });
    expect(expectProblem(own, 409).type).toMatch(/need\.own_need$/);
    const left = await hub.app.inject({ method: 'DELETE', url: `/v1/needs/${id}/supporters/${other.organisation.id}`, headers: bearer(other.token) });
    expect(left.statusCode).toBe(204);
    expect((await get(id)).supporters).toEqual([]);
  });

  it('only the posting organisation changes the need and its status; each write leaves an audit row', async () => {
    const city = await organisationWithToken(hub.app, ['reuse']);
    const other = await organisationWithToken(hub.app, ['reuse', 'publish']);
    const { id } = (await post(city.token, { title: 'Ratsinformationssystem', description: 'Sitzungen veröffentlichen.' })).json();
    expectProblem(await hub.app.inject({ method: 'PATCH', url: `/v1/needs/${id}`, headers: bearer(other.token), payload: { status: 'closed' } }), 403);
    const changed = await hub.app.inject({ method: 'PATCH', url: `/v1/needs/${id}`, headers: bearer(city.token), payload: { status: 'in_progress' } });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json().status).toBe('in_progress');
    const actions = await queryDatabase<{ action: string }>(hub, 'select action from audit_event where entity_id = $1 order by at', [id]);
    expect(actions.map((a) => a.action)).toEqual(['need.post', 'need.update']);
  });

  it.skipIf(onPglite)('a matching that runs while the organisation changes the status does not write the old status back', async () => {
    const city = await organisationWithToken(hub.app, ['reuse']);
    const { id } = (await post(city.token, { title: 'Quantenkryptographie', description: 'Xylophon Zeppelin' })).json();
    expect((await matched(id)).status).toBe('open');
    // The organisation's edit, still uncommitted on a connection of its own, while the matching runs.
    const pool = (hub.deps.database.db as unknown as { $client: pg.Pool }).$client;
    const editor = await pool.connect();
    try {
      await editor.query('BEGIN');
      await editor.query(`UPDATE need SET status = 'in_progress' WHERE id = $1`, [id]);
      const job = createJobHandlers(hub.deps.hub)[matchNeedsJob.name]!({ needId: id }, { jobId: 't', attempt: 1, maxAttempts: 1, updateProgress: async () => {}, signal: new AbortController().signal });
      // The matching read the need ("open") and searched; it now waits for the edit's row lock.
      await vi.waitFor(async () => {
        const { rows } = await pool.query(`SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
        if (rows.length === 0) throw new Error('the matching does not wait yet');
      }, { timeout: 10_000, interval: 20 });
      await editor.query('COMMIT');
      await job;
    } finally {
      editor.release();
    }
    expect((await get(id)).status).toBe('in_progress');
  });

  it('lists newest first, filtered by status, category, organisation and words, across pages', async () => {
    const city = await organisationWithToken(hub.app, ['reuse'], 'Stadt Listenau');
    const ids: string[] = [];
    for (const [title, categories] of [['Wärmeplanung kommunal', ['energie']], ['Schulanmeldung online', ['bildung']], ['Wärmekataster', ['energie']]] as const) {
      ids.push((await post(city.token, { title, description: 'Bedarf der Stadt Listenau.', categories })).json().id);
    }
    const list = async (query: string) => (await hub.app.inject(`/v1/needs?organisation=${city.organisation.slug}${query}`)).json();
    expect((await list('')).items.map((n: { id: string }) => n.id)).toEqual([...ids].reverse());
    expect((await list('&category=energie')).items.map((n: { id: string }) => n.id)).toEqual([ids[2], ids[0]]);
    expect((await list('&q=Schulanmeldungen')).items.map((n: { id: string }) => n.id)).toEqual([ids[1]]);
    expect((await list('&q=waermeplanung')).items.map((n: { id: string }) => n.id)).toEqual([ids[0]]);
    await hub.app.inject({ method: 'PATCH', url: `/v1/needs/${ids[1]}`, headers: bearer(city.token), payload: { status: 'closed' } });
    expect((await list('&status=closed')).items.map((n: { id: string }) => n.id)).toEqual([ids[1]]);
    const first = await list('&limit=2');
    expect(first.items).toHaveLength(2);
    const second = await list(`&limit=2&cursor=${encodeURIComponent(first.nextCursor)}`);
    expect(second.items.map((n: { id: string }) => n.id)).toEqual([ids[0]]);
    expect(second.nextCursor).toBeNull();
  });

  it('the admin must name the organisation it posts for', async () => {
    const response = await hub.app.inject({ method: 'POST', url: '/v1/needs', headers: admin, payload: { title: 'Ohne Organisation', description: 'x' } });
    expectProblem(response, 400);
  });
});
