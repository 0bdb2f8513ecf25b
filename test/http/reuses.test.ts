import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, bearer, createTestHub, organisationWithToken, type TestHub } from '../helpers/hub';
import { expectProblem, problemFields, publisherWithSoftware, type Software } from './fixtures';

let hub: TestHub;
beforeAll(async () => {
  hub = await createTestHub();
});
afterAll(async () => hub?.close());

type Reuse = {
  id: string;
  software: { id: string; slug: string; name: string };
  organisation: { id: string; slug: string; name: string };
  status: string;
  versionInUse: string | null;
  since: string | null;
  contact: string | null;
  notes: string | null;
};

const record = { status: 'piloting', versionInUse: '1.2.0', since: '2024-05-01', contact: 'it@example.org', notes: 'Läuft im Bürgerbüro' };

async function recordReuse(softwareId: string, token: string, body: Record<string, unknown> = record) {
  return hub.app.inject({ method: 'POST', url: `/v1/software/${softwareId}/reuses`, headers: bearer(token), payload: body });
}

describe('recording reuse', () => {
  let software: Software;
  beforeAll(async () => {
    ({ software } = await publisherWithSoftware(hub.app));
  });

  it('a reuse token records its own organisation as reusing the software (201)', async () => {
    const reuser = await organisationWithToken(hub.app, ['reuse'], 'Gemeinde Nachnutz');
    const response = await recordReuse(software.id, reuser.token);
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toMatchObject({
      ...record,
      software: { id: software.id, slug: software.slug, name: software.name },
      organisation: { id: reuser.organisation.id, slug: reuser.organisation.slug, name: 'Gemeinde Nachnutz' },
    });
  });

  it('recording the same reuse twice is a 409 that names the existing record', async () => {
    const reuser = await organisationWithToken(hub.app, ['reuse']);
    const first = await recordReuse(software.id, reuser.token);
    expect(first.statusCode).toBe(201);
    const again = await recordReuse(software.id, reuser.token, { status: 'production' });
    const problem = expectProblem(again, 409);
    expect(problem.existingId).toBe(first.json().id);
    expect(problem.type).toMatch(/reuse\.already_recorded$/);
    const mine = (await hub.app.inject(`/v1/organisations/${reuser.organisation.id}/reuses`)).json().items as Reuse[];
    expect(mine.map((r) => r.status)).toEqual(['piloting']);
  });

  it('a reuse token cannot record reuse for another organisation', async () => {
    const reuser = await organisationWithToken(hub.app, ['reuse']);
    const other = await organisationWithToken(hub.app, ['reuse']);
    const response = await recordReuse(software.id, reuser.token, { status: 'evaluating', organisationId: other.organisation.id });
    expectProblem(response, 403);
  });

  it('the admin records reuse for a named organisation, and must name one', async () => {
    const reuser = await organisationWithToken(hub.app, ['reuse']);
    const named = await hub.app.inject({
      method: 'POST',
      url: `/v1/software/${software.slug}/reuses`,
      headers: admin,
      payload: { status: 'production', organisationId: reuser.organisation.slug },
    });
    expect(named.statusCode, named.body).toBe(201);
    expect(named.json().organisation.id).toBe(reuser.organisation.id);

    const unnamed = await hub.app.inject({ method: 'POST', url: `/v1/software/${software.id}/reuses`, headers: admin, payload: { status: 'production' } });
    expectProblem(unnamed, 400);
    expect(problemFields(unnamed)).toEqual(['/organisationId']);
  });

  it('an unknown status is a 400', async () => {
    const reuser = await organisationWithToken(hub.app, ['reuse']);
    const response = await recordReuse(software.id, reuser.token, { status: 'begeistert' });
    expectProblem(response, 400);
    expect(new Set(problemFields(response))).toEqual(new Set(['body/status']));
  });

  it('a "since" that is not a calendar date is a 400', async () => {
    const reuser = await organisationWithToken(hub.app, ['reuse']);
    expectProblem(await recordReuse(software.id, reuser.token, { status: 'piloting', since: '2024-02-30' }), 400);
  });

  it('reuse of software that does not exist is a 404', async () => {
    const reuser = await organisationWithToken(hub.app, ['reuse']);
    expectProblem(await recordReuse('gibt-es-nicht', reuser.token), 404);
  });
});

describe('updating and withdrawing reuse', () => {
  it('the reusing organisation updates its own record (200) and the change is listed', async () => {
    const { software } = await publisherWithSoftware(hub.app);
    const reuser = await organisationWithToken(hub.app, ['reuse']);
    const created = (await recordReuse(software.id, reuser.token)).json() as Reuse;
    const response = await hub.app.inject({
      method: 'PATCH',
      url: `/v1/software/${software.slug}/reuses/${created.id}`,
      headers: bearer(reuser.token),
      payload: { status: 'production', versionInUse: '1.3.0' },
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ id: created.id, status: 'production', versionInUse: '1.3.0', contact: record.contact });
    const listed = (await hub.app.inject(`/v1/software/${software.id}/reuses`)).json().items as Reuse[];
    expect(listed).toEqual([response.json()]);
  });

  it('a reuse token of another organisation can neither update nor withdraw the record (403)', async () => {
    const { software } = await publisherWithSoftware(hub.app);
    const reuser = await organisationWithToken(hub.app, ['reuse']);
    const stranger = await organisationWithToken(hub.app, ['reuse']);
    const created = (await recordReuse(software.id, reuser.token)).json() as Reuse;
    const url = `/v1/software/${software.id}/reuses/${created.id}`;
    expectProblem(await hub.app.inject({ method: 'PATCH', url, headers: bearer(stranger.token), payload: { status: 'retired' } }), 403);
    expectProblem(await hub.app.inject({ method: 'DELETE', url, headers: bearer(stranger.token) }), 403);
    const listed = (await hub.app.inject(`/v1/software/${software.id}/reuses`)).json().items as Reuse[];
    expect(listed.map((r) => [r.id, r.status])).toEqual([[created.id, 'piloting']]);
  });

  it('withdrawing is 204, keeps the record marked withdrawn in both lists; withdrawing again is a 409', async () => {
    const { software } = await publisherWithSoftware(hub.app);
    const reuser = await organisationWithToken(hub.app, ['reuse']);
    const created = (await recordReuse(software.id, reuser.token)).json() as Reuse;
    const url = `/v1/software/${software.id}/reuses/${created.id}`;
    const withdrawn = await hub.app.inject({ method: 'DELETE', url, headers: bearer(reuser.token) });
    expect(withdrawn.statusCode).toBe(204);
    expect(withdrawn.body).toBe('');
    const [listed] = (await hub.app.inject(`/v1/software/${software.id}/reuses`)).json().items;
    expect(listed).toMatchObject({ id: created.id, withdrawnAt: expect.any(String) });
    expect((await hub.app.inject(`/v1/organisations/${reuser.organisation.id}/reuses`)).json().items.map((r: Reuse) => r.id)).toEqual([created.id]);
    expect(expectProblem(await hub.app.inject({ method: 'DELETE', url, headers: bearer(reuser.token) }), 409).type).toMatch(/reuse\.already_withdrawn$/);
    // After withdrawing, the organisation may record its reuse afresh: the same record, taken up again.
    const again = await recordReuse(software.id, reuser.token);
    expect(again.statusCode).toBe(201);
    expect(again.json()).toMatchObject({ id: created.id, withdrawnAt: null });
  });

  it('a reuse id under the wrong software is a 404', async () => {
    const first = await publisherWithSoftware(hub.app);
    const second = await publisherWithSoftware(hub.app);
    const reuser = await organisationWithToken(hub.app, ['reuse']);
    const created = (await recordReuse(first.software.id, reuser.token)).json() as Reuse;
    const response = await hub.app.inject({
      method: 'PATCH',
      url: `/v1/software/${second.software.id}/reuses/${created.id}`,
      headers: bearer(reuser.token),
      payload: { status: 'retired' },
    });
    expectProblem(response, 404);
  });

  it('a reuse id that is no uuid is a 404', async () => {
    const { software } = await publisherWithSoftware(hub.app);
    const reuser = await organisationWithToken(hub.app, ['reuse']);
    const response = await hub.app.inject({
      method: 'DELETE',
      url: `/v1/software/${software.id}/reuses/kein-uuid`,
      headers: bearer(reuser.token),
    });
    expectProblem(response, 404);
  });
});

describe('listing reuse', () => {
  it('per software lists every reusing organisation, per organisation every reused software, by id or slug', async () => {
    const a = await publisherWithSoftware(hub.app);
    const b = await publisherWithSoftware(hub.app);
    const reuser1 = await organisationWithToken(hub.app, ['reuse']);
    const reuser2 = await organisationWithToken(hub.app, ['reuse']);
    await recordReuse(a.software.id, reuser1.token);
    await recordReuse(b.software.id, reuser1.token, { status: 'evaluating' });
    await recordReuse(a.software.id, reuser2.token, { status: 'production' });

    const ofSoftware = (await hub.app.inject(`/v1/software/${a.software.slug}/reuses`)).json().items as Reuse[];
    expect(ofSoftware.map((r) => r.organisation.id)).toEqual([reuser1.organisation.id, reuser2.organisation.id]);

    const ofOrganisation = (await hub.app.inject(`/v1/organisations/${reuser1.organisation.slug}/reuses`)).json().items as Reuse[];
    expect(ofOrganisation.map((r) => [r.software.id, r.status])).toEqual([
      [a.software.id, 'piloting'],
      [b.software.id, 'evaluating'],
    ]);
    expect((await hub.app.inject(`/v1/organisations/${a.organisation.id}/reuses`)).json().items).toEqual([]);
  });

  it('lists of unknown software or organisations are a 404', async () => {
    expectProblem(await hub.app.inject('/v1/software/gibt-es-nicht/reuses'), 404);
    expectProblem(await hub.app.inject('/v1/organisations/gibt-es-nicht/reuses'), 404);
  });
});
