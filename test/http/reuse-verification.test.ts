import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, bearer, createTestHub, organisationWithToken, type TestHub } from '../helpers/hub';
import { createSoftware, expectProblem, publisherWithSoftware, queryDatabase } from './fixtures';

let hub: TestHub;
beforeAll(async () => {
  hub = await createTestHub();
});
afterAll(async () => hub?.close());

type Counts = { total: number; confirmed: number; selfDeclared: number; disputed: number; production: number; confirmedProduction: number };

async function record(softwareId: string, token: string, status = 'production') {
  const response = await hub.app.inject({ method: 'POST', url: `/v1/software/${softwareId}/reuses`, headers: bearer(token), payload: { status } });
  if (response.statusCode !== 201) throw new Error(response.body);
  return response.json().id as string;
}

const confirm = (softwareId: string, reuseId: string, token: string) =>
  hub.app.inject({ method: 'POST', url: `/v1/software/${softwareId}/reuses/${reuseId}/confirmation`, headers: bearer(token) });
const dispute = (softwareId: string, reuseId: string, token: string, reason = 'Uns ist keine Nachnutzung bekannt.') =>
  hub.app.inject({ method: 'POST', url: `/v1/software/${softwareId}/reuses/${reuseId}/dispute`, headers: bearer(token), payload: { reason } });

async function otherCounts(slug: string): Promise<Counts> {
  return (await hub.app.inject(`/v1/software/${slug}`)).json().reuseCounts.byOtherOrganisations;
}

async function listItemCounts(organisationSlug: string, query = ''): Promise<Record<string, Counts>> {
  const page = (await hub.app.inject(`/v1/software?organisation=${organisationSlug}${query}`)).json();
  return Object.fromEntries(page.items.map((i: { slug: string; reuseCounts: { byOtherOrganisations: Counts } }) => [i.slug, i.reuseCounts.byOtherOrganisations]));
}

describe('producer confirmation', () => {
  it('the producer confirms a reuse: the record says confirmed by the producer, with the date, and the counts move from self-declared to confirmed', async () => {
    const producer = await publisherWithSoftware(hub.app);
    const reuser = await organisationWithToken(hub.app, ['reuse']);
    const reuseId = await record(producer.software.id, reuser.token);
    expect(await otherCounts(producer.software.slug)).toEqual({ total: 1, confirmed: 0, selfDeclared: 1, disputed: 0, production: 1, confirmedProduction: 0 });

    const confirmed = await confirm(producer.software.id, reuseId, producer.token);
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(confirmed.json().verification).toEqual({ state: 'confirmed', by: 'producer', at: expect.any(String), reason: null });
    expect(await otherCounts(producer.software.slug)).toEqual({ total: 1, confirmed: 1, selfDeclared: 0, disputed: 0, production: 1, confirmedProduction: 1 });
    expect((await listItemCounts(producer.organisation.slug))[producer.software.slug]).toMatchObject({ confirmed: 1, confirmedProduction: 1 });

    const again = expectProblem(await confirm(producer.software.id, reuseId, producer.token), 409);
    expect(again.type).toMatch(/reuse\.already_confirmed$/);
  });

  it('a dispute stays visible with its reason, in the record and its history, and the record no longer counts', async () => {
    const producer = await publisherWithSoftware(hub.app);
    const reuser = await organisationWithToken(hub.app, ['reuse']);
    const reuseId = await record(producer.software.id, reuser.token);
    const disputed = await dispute(producer.software.id, reuseId, producer.token);
    expect(disputed.statusCode, disputed.body).toBe(200);
    expect(disputed.json().verification).toMatchObject({ state: 'disputed', by: 'producer', reason: 'Uns ist keine Nachnutzung bekannt.' });
    const listed = (await hub.app.inject(`/v1/software/${producer.software.id}/reuses`)).json().items;
    expect(listed.map((r: { id: string; verification: { state: string } }) => [r.id, r.verification.state])).toEqual([[reuseId, 'disputed']]);
    expect(await otherCounts(producer.software.slug)).toMatchObject({ total: 0, disputed: 1, production: 0 });
    const history = (await hub.app.inject(`/v1/software/${producer.software.id}/reuses/${reuseId}/history`)).json();
    expect(history.items.map((e: { kind: string; actor: string }) => [e.kind, e.actor])).toEqual([
      ['recorded', 'reusing organisation'],
      ['disputed', 'producer'],
    ]);
    expect(history.items[1].reason).toBe('Uns ist keine Nachnutzung bekannt.');
  });

  it('a dispute without a reason is a 400', async () => {
    const producer = await publisherWithSoftware(hub.app);
    const reuser = await organisationWithToken(hub.app, ['reuse']);
    const reuseId = await record(producer.software.id, reuser.token);
    const response = await hub.app.inject({ method: 'POST', url: `/v1/software/${producer.software.id}/reuses/${reuseId}/dispute`, headers: bearer(producer.token), payload: {} });
    expectProblem(response, 400);
  });

  it('the reusing organisation cannot confirm its own record (403 reuse.not_producer)', async () => {
    const producer = await publisherWithSoftware(hub.app);
    const reuser = await organisationWithToken(hub.app, ['reuse', 'publish']);
    const reuseId = await record(producer.software.id, reuser.token);
    expect(expectProblem(await confirm(producer.software.id, reuseId, reuser.token), 403).type).toMatch(/reuse\.not_producer$/);
  });

  it('the producer can neither delete nor edit the record (403 reuse.not_owner), and the record stays', async () => {
    const producer = await publisherWithSoftware(hub.app);
    const reuser = await organisationWithToken(hub.app, ['reuse']);
    const reuseId = await record(producer.software.id, reuser.token);
    const url = `/v1/software/${producer.software.id}/reuses/${reuseId}`;
    expect(expectProblem(await hub.app.inject({ method: 'DELETE', url, headers: bearer(producer.token) }), 403).type).toMatch(/reuse\.not_owner$/);
    const edit = await hub.app.inject({ method: 'PATCH', url, headers: bearer(producer.token), payload: { status: 'retired' } });
    expect(expectProblem(edit, 403).type).toMatch(/reuse\.not_owner$/);
    expect((await hub.app.inject(`/v1/software/${producer.software.id}/reuses`)).json().items[0]).toMatchObject({ id: reuseId, status: 'production', withdrawnAt: null });
  });
});

describe('history', () => {
  it('keeps every status change, the withdrawal and the new record with their dates, oldest first', async () => {
    const producer = await publisherWithSoftware(hub.app);
    const reuser = await organisationWithToken(hub.app, ['reuse']);
    const reuseId = await record(producer.software.id, reuser.token, 'evaluating');
    const url = `/v1/software/${producer.software.slug}/reuses/${reuseId}`;
    for (const status of ['piloting', 'production']) {
      const response = await hub.app.inject({ method: 'PATCH', url, headers: bearer(reuser.token), payload: { status } });
      expect(response.statusCode, response.body).toBe(200);
    }
    // A change without a new status is no status change.
    await hub.app.inject({ method: 'PATCH', url, headers: bearer(reuser.token), payload: { notes: 'Läuft' } });
    expect((await hub.app.inject({ method: 'DELETE', url, headers: bearer(reuser.token) })).statusCode).toBe(204);
    const edited = await hub.app.inject({ method: 'PATCH', url, headers: bearer(reuser.token), payload: { status: 'retired' } });
    expect(expectProblem(edited, 409).type).toMatch(/reuse\.withdrawn$/);
    await record(producer.software.id, reuser.token, 'piloting');

    const history = (await hub.app.inject(`${url}/history`)).json();
    expect(history.items.map((e: { kind: string; status: string }) => [e.kind, e.status])).toEqual([
      ['recorded', 'evaluating'],
      ['status-changed', 'piloting'],
      ['status-changed', 'production'],
      ['withdrawn', 'production'],
      ['recorded-again', 'piloting'],
    ]);
    const dates = history.items.map((e: { at: string }) => Date.parse(e.at));
    expect(dates).toEqual([...dates].sort((a, b) => a - b));
    expect(history.reuse).toMatchObject({ id: reuseId, status: 'piloting', withdrawnAt: null });
  });

  it('of an unknown record is a 404', async () => {
    const producer = await publisherWithSoftware(hub.app);
    expectProblem(await hub.app.inject(`/v1/software/${producer.software.id}/reuses/00000000-0000-4000-8000-000000000000/history`), 404);
  });
});

describe('what counts as reuse by another organisation', () => {
  it('a withdrawn record counts nowhere: not in the detail, the list item or the productionReuse filter', async () => {
    const producer = await publisherWithSoftware(hub.app);
    const reuser = await organisationWithToken(hub.app, ['reuse']);
    const reuseId = await record(producer.software.id, reuser.token);
    expect((await listItemCounts(producer.organisation.slug, '&productionReuse=true'))[producer.software.slug]).toMatchObject({ production: 1 });
    await hub.app.inject({ method: 'DELETE', url: `/v1/software/${producer.software.id}/reuses/${reuseId}`, headers: bearer(reuser.token) });
    expect(await otherCounts(producer.software.slug)).toMatchObject({ total: 0, production: 0 });
    expect((await hub.app.inject(`/v1/software/${producer.software.slug}`)).json().reuseCounts).toMatchObject({ total: 0, withdrawn: 1 });
    expect(await listItemCounts(producer.organisation.slug, '&productionReuse=true')).toEqual({});
  });

  it('reuse by the producer itself or by an organisation of its cooperation is counted apart, never as reuse by others', async () => {
    const city = await organisationWithToken(hub.app, ['publish', 'reuse'], 'Stadt Kooperationshausen');
    const neighbour = await organisationWithToken(hub.app, ['reuse'], 'Gemeinde Nachbarort');
    const stranger = await organisationWithToken(hub.app, ['reuse'], 'Stadt Fernab');
    // Official keys (AGS) and a cooperation holding the city and its neighbour.
    for (const [org, officialKey] of [[city, '05122000'], [neighbour, '03103000'], [stranger, '09162000']] as const) {
      const patched = await hub.app.inject({ method: 'PATCH', url: `/v1/organisations/${org.organisation.id}`, headers: admin, payload: { ags: officialKey } });
      expect(patched.statusCode, patched.body).toBe(200);
    }
    const cooperation = await hub.app.inject({
      method: 'POST',
      url: '/v1/organisations',
      headers: admin,
      payload: { name: 'Zweckverband Kooperationshausen', kind: 'municipal_association', memberKeys: ['05122000', '03103000'] },
    });
    expect(cooperation.statusCode, cooperation.body).toBe(201);
    const software = await createSoftware(hub.app, city.token, { organisationId: city.organisation.id, name: 'Kooperationssoftware' });
    await record(software.id, city.token);
    await record(software.id, neighbour.token);
    const strangerReuse = await record(software.id, stranger.token);
    await confirm(software.id, strangerReuse, city.token);

    const detail = (await hub.app.inject(`/v1/software/${software.slug}`)).json().reuseCounts;
    expect(detail).toMatchObject({ total: 3, production: 3, byProducerOrCooperation: 2 });
    expect(detail.byOtherOrganisations).toEqual({ total: 1, confirmed: 1, selfDeclared: 0, disputed: 0, production: 1, confirmedProduction: 1 });
    const listed = (await hub.app.inject(`/v1/software/${software.id}/reuses`)).json().items;
    expect(listed.map((r: { organisation: { name: string }; byOtherOrganisation: boolean }) => [r.organisation.name, r.byOtherOrganisation])).toEqual([
      ['Stadt Kooperationshausen', false],
      ['Gemeinde Nachbarort', false],
      ['Stadt Fernab', true],
    ]);
    const [signals] = await queryDatabase<{ reuse_count: number; confirmed_reuse: boolean; confirmed_reuse_count: number }>(
      hub,
      'select reuse_count, confirmed_reuse, confirmed_reuse_count from software_search where software_id = $1',
      [software.id],
    );
    expect(signals).toEqual({ reuse_count: 1, confirmed_reuse: true, confirmed_reuse_count: 1 });

    // Leaving the cooperation makes the neighbour's reuse one by another organisation.
    await hub.app.inject({ method: 'PATCH', url: `/v1/organisations/${JSON.parse(cooperation.body).id}`, headers: admin, payload: { memberKeys: ['05122000'] } });
    expect(await otherCounts(software.slug)).toMatchObject({ total: 2, selfDeclared: 1, confirmed: 1 });
    const [after] = await queryDatabase<{ reuse_count: number }>(hub, 'select reuse_count from software_search where software_id = $1', [software.id]);
    expect(after!.reuse_count).toBe(2);
  });

  it('confirmedReuse filters the list and search results, and is counted as a facet', async () => {
    const producer = await publisherWithSoftware(hub.app);
    const second = await createSoftware(hub.app, producer.token, { organisationId: producer.organisation.id, name: 'Zweite Software' });
    const reuser = await organisationWithToken(hub.app, ['reuse']);
    const reuseId = await record(producer.software.id, reuser.token, 'piloting');
    await record(second.id, reuser.token);
    await confirm(producer.software.id, reuseId, producer.token);
    expect(Object.keys(await listItemCounts(producer.organisation.slug, '&confirmedReuse=true'))).toEqual([producer.software.slug]);
    expect(Object.keys(await listItemCounts(producer.organisation.slug, '&confirmedReuse=false'))).toEqual([second.slug]);
    expect(Object.keys(await listItemCounts(producer.organisation.slug, '&confirmedReuse=true&productionReuse=true'))).toEqual([]);
    const searched = (await hub.app.inject(`/v1/software?organisation=${producer.organisation.slug}&q=Zweite&confirmedReuse=false`)).json();
    expect(searched.items.map((item: { slug: string }) => item.slug)).toEqual([second.slug]);
    const facets = (await hub.app.inject(`/v1/software?organisation=${producer.organisation.slug}&facets=true`)).json().facets;
    expect(facets.confirmedReuse).toEqual(expect.arrayContaining([{ value: 'true', count: 1 }, { value: 'false', count: 1 }]));
  });
});
