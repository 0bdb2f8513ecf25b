import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, bearer, createTestHub, organisationWithToken, type TestHub } from '../helpers/hub';
import { createOrganisation, expectProblem, problemFields, walkPages, type Org } from './fixtures';

let hub: TestHub;
beforeAll(async () => {
  hub = await createTestHub();
});
afterAll(async () => hub?.close());

const ulm = {
  name: 'Stadt Ulm',
  kind: 'municipality',
  ags: '08421000',
  state: 'Baden-Württemberg',
  website: 'https://www.ulm.de',
  programme: 'MPSC',
  cohortYear: 2019,
  codeHosting: [{ url: 'https://github.com/stadtulm', kind: 'github' }],
};

describe('creating an organisation', () => {
  it('an admin creates it with every field and gets it back with a uuid and a slug from the name', async () => {
    const response = await hub.app.inject({ method: 'POST', url: '/v1/organisations', headers: admin, payload: ulm });
    expect(response.statusCode, response.body).toBe(201);
    const org = response.json();
    expect(org).toMatchObject({ ...ulm, slug: 'stadt-ulm', memberKeys: [] });
    expect(org.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('an official key with a wrong number of digits is a 400 naming the ags field', async () => {
    const response = await hub.app.inject({
      method: 'POST',
      url: '/v1/organisations',
      headers: admin,
      payload: { name: 'Zu kurz', kind: 'municipality', ags: '084210' },
    });
    expectProblem(response, 400);
    expect(problemFields(response)).toEqual(['/ags']);
  });

  it('an official key whose first two digits are no federal state is a 400 naming the ags field', async () => {
    const response = await hub.app.inject({
      method: 'POST',
      url: '/v1/organisations',
      headers: admin,
      payload: { name: 'Nirgendwo', kind: 'municipality', ags: '99000000' },
    });
    expectProblem(response, 400);
    expect(problemFields(response)).toEqual(['/ags']);
  });

  it('an official key with letters is rejected by the schema with the ags field', async () => {
    const response = await hub.app.inject({
      method: 'POST',
      url: '/v1/organisations',
      headers: admin,
      payload: { name: 'Buchstaben', kind: 'municipality', ags: '0842100A' },
    });
    expectProblem(response, 400);
    expect(new Set(problemFields(response))).toEqual(new Set(['body/ags']));
  });

  it('an official key that lies in another federal state than the one given is a 400 naming the state', async () => {
    const response = await hub.app.inject({
      method: 'POST',
      url: '/v1/organisations',
      headers: admin,
      payload: { name: 'München falsch', kind: 'municipality', ags: '09162000', state: 'Hessen' },
    });
    const problem = expectProblem(response, 400);
    expect(problemFields(response)).toEqual(['/state']);
    expect(problem.errors![0]!.message).toContain('Bayern');
  });

  it('a second organisation with the same official key is a 409 naming the holder in existingId', async () => {
    const holder = await createOrganisation(hub.app, { name: 'Landkreis Kassel', kind: 'county', ags: '06633' });
    const response = await hub.app.inject({
      method: 'POST',
      url: '/v1/organisations',
      headers: admin,
      payload: { name: 'Kreis Kassel doppelt', kind: 'county', ags: '06633' },
    });
    const problem = expectProblem(response, 409);
    expect(problem.detail).toContain('06633');
    expect(problem.existingId).toBe(holder.id);
  });

  it('a slug that is taken is a 409 and a name that is taken gets the next free slug', async () => {
    const first = await createOrganisation(hub.app, { name: 'Gleichnamig', kind: 'other' });
    const second = await createOrganisation(hub.app, { name: 'Gleichnamig', kind: 'other' });
    expect([first.slug, second.slug]).toEqual(['gleichnamig', 'gleichnamig-2']);
    const taken = await hub.app.inject({
      method: 'POST',
      url: '/v1/organisations',
      headers: admin,
      payload: { name: 'Anders', kind: 'other', slug: 'gleichnamig' },
    });
    expectProblem(taken, 409);
  });

  it('a name of only spaces is a 400, not an organisation without a name', async () => {
    const response = await hub.app.inject({
      method: 'POST',
      url: '/v1/organisations',
      headers: admin,
      payload: { name: '   ', kind: 'municipality' },
    });
    expectProblem(response, 400);
    expect(problemFields(response)).toEqual(['/name']);
  });

  it('two admins creating the same organisation at once get one 201 and 409 for the others, never a 500', async () => {
    const body = { name: 'Gleichzeitig', kind: 'municipality', ags: '05315000', state: 'Nordrhein-Westfalen' };
    const responses = await Promise.all(
      [1, 2, 3, 4, 5].map(() => hub.app.inject({ method: 'POST', url: '/v1/organisations', headers: admin, payload: body })),
    );
    expect(responses.map((r) => r.statusCode).sort()).toEqual([201, 409, 409, 409, 409]);
  });
});

describe('reading organisations', () => {
  let org: Org;
  beforeAll(async () => {
    org = await createOrganisation(hub.app, { name: 'Stadt Lesbar', kind: 'municipality', ags: '03241001', state: 'Niedersachsen' });
  });

  it('one organisation answers to its uuid and to its slug with the same body', async () => {
    const byId = await hub.app.inject(`/v1/organisations/${org.id}`);
    const bySlug = await hub.app.inject(`/v1/organisations/${org.slug}`);
    expect(byId.statusCode).toBe(200);
    expect(bySlug.statusCode).toBe(200);
    expect(byId.json()).toEqual(bySlug.json());
    expect(byId.json()).toMatchObject({ id: org.id, slug: 'stadt-lesbar', ags: '03241001' });
  });

  it('the uuid also answers in upper case', async () => {
    const response = await hub.app.inject(`/v1/organisations/${org.id.toUpperCase()}`);
    expect(response.json().id).toBe(org.id);
  });

  it('an unknown id or slug is a 404 problem', async () => {
    expectProblem(await hub.app.inject('/v1/organisations/00000000-0000-4000-8000-000000000000'), 404);
    expectProblem(await hub.app.inject('/v1/organisations/gibt-es-nicht'), 404);
  });

  it('the list filters by kind, state and programme', async () => {
    await createOrganisation(hub.app, { name: 'Filterkreis', kind: 'county', state: 'Sachsen', programme: 'MPSC' });
    await createOrganisation(hub.app, { name: 'Filterstadt', kind: 'municipality', state: 'Sachsen', programme: 'Andere' });
    const counties = (await hub.app.inject('/v1/organisations?kind=county&state=Sachsen')).json();
    expect(counties.items.map((o: Org) => o.name)).toEqual(['Filterkreis']);
    const both = (await hub.app.inject('/v1/organisations?state=Sachsen&kind=county&kind=municipality')).json();
    expect(both.items.map((o: Org) => o.name).sort()).toEqual(['Filterkreis', 'Filterstadt']);
    const mpsc = (await hub.app.inject('/v1/organisations?state=Sachsen&programme=MPSC')).json();
    expect(mpsc.items.map((o: Org) => o.name)).toEqual(['Filterkreis']);
  });

  it('an unknown kind in the filter is a 400', async () => {
    expectProblem(await hub.app.inject('/v1/organisations?kind=village'), 400);
  });
});

describe('paging through organisations', () => {
  it('walking 45 organisations 7 at a time returns each exactly once, in slug order', async () => {
    const hub45 = await createTestHub();
    try {
      const created: Org[] = [];
      for (let i = 0; i < 45; i++) {
        created.push(await createOrganisation(hub45.app, { name: `Pagingstadt ${String(i).padStart(2, '0')}`, kind: 'municipality' }));
      }
      const { items, pages } = await walkPages<Org>(hub45.app, '/v1/organisations', 7);
      expect(pages).toBe(7);
      expect(items.map((o) => o.id)).toHaveLength(45);
      expect(new Set(items.map((o) => o.id))).toEqual(new Set(created.map((o) => o.id)));
      const slugs = items.map((o) => o.slug);
      expect(slugs).toEqual([...slugs].sort());
    } finally {
      await hub45.close();
    }
  });

  it('an organisation created behind the cursor while paging shows up on a later page', async () => {
    const first = (await hub.app.inject('/v1/organisations?limit=1')).json();
    await createOrganisation(hub.app, { name: 'zzz Spaet angelegt', kind: 'other' });
    const slugs: string[] = [];
    for (let cursor = first.nextCursor; cursor !== null; ) {
      const page = (await hub.app.inject(`/v1/organisations?limit=5&cursor=${encodeURIComponent(cursor)}`)).json();
      slugs.push(...page.items.map((o: Org) => o.slug));
      cursor = page.nextCursor;
    }
    expect(slugs).toContain('zzz-spaet-angelegt');
    expect(slugs).not.toContain(first.items[0].slug);
  });
});

describe('updating an organisation', () => {
  it('an admin changes fields and the change is visible on the next read', async () => {
    const org = await createOrganisation(hub.app, { name: 'Umbenennstadt', kind: 'municipality' });
    const response = await hub.app.inject({
      method: 'PATCH',
      url: `/v1/organisations/${org.slug}`,
      headers: admin,
      payload: { name: 'Umbenannte Stadt', cohortYear: 2021, website: 'https://example.org' },
    });
    expect(response.statusCode, response.body).toBe(200);
    const read = (await hub.app.inject(`/v1/organisations/${org.id}`)).json();
    expect(read).toMatchObject({ name: 'Umbenannte Stadt', cohortYear: 2021, website: 'https://example.org', slug: org.slug });
  });

  it('a publish token of the organisation may update it', async () => {
    const { organisation, token } = await organisationWithToken(hub.app, ['publish']);
    const response = await hub.app.inject({
      method: 'PATCH',
      url: `/v1/organisations/${organisation.id}`,
      headers: bearer(token),
      payload: { website: 'https://selbst.example' },
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().website).toBe('https://selbst.example');
  });

  it('a publish token may not change registry facts such as the official key or the funding cohort', async () => {
    const { organisation, token } = await organisationWithToken(hub.app, ['publish']);
    for (const payload of [{ ags: '05122000' }, { cohortYear: 2019 }, { kind: 'county' }]) {
      const response = await hub.app.inject({ method: 'PATCH', url: `/v1/organisations/${organisation.id}`, headers: bearer(token), payload });
      expectProblem(response, 403);
    }
    expect((await hub.app.inject(`/v1/organisations/${organisation.id}`)).json()).toMatchObject({ ags: null, cohortYear: null, kind: 'municipality' });
  });

  it('changing the slug is a 400 because links would break', async () => {
    const org = await createOrganisation(hub.app, { name: 'Festerslug', kind: 'municipality' });
    const response = await hub.app.inject({
      method: 'PATCH',
      url: `/v1/organisations/${org.id}`,
      headers: admin,
      payload: { slug: 'neuer-slug' },
    });
    expectProblem(response, 400);
    expect(problemFields(response)).toEqual(['/slug']);
  });

  it('taking the official key of another organisation is a 409', async () => {
    await createOrganisation(hub.app, { name: 'Schluesselhalter', kind: 'municipality', ags: '14612000' });
    const other = await createOrganisation(hub.app, { name: 'Schluesseldieb', kind: 'municipality' });
    const response = await hub.app.inject({
      method: 'PATCH',
      url: `/v1/organisations/${other.id}`,
      headers: admin,
      payload: { ags: '14612000' },
    });
    expectProblem(response, 409);
  });

  it('a new state that contradicts the stored official key is a 400', async () => {
    const org = await createOrganisation(hub.app, { name: 'Dresdenartig', kind: 'municipality', ags: '14612001', state: 'Sachsen' });
    const response = await hub.app.inject({
      method: 'PATCH',
      url: `/v1/organisations/${org.id}`,
      headers: admin,
      payload: { state: 'Bayern' },
    });
    expectProblem(response, 400);
    expect(problemFields(response)).toEqual(['/state']);
  });

  it('an empty patch is a 400', async () => {
    const org = await createOrganisation(hub.app, { name: 'Leerpatch', kind: 'municipality' });
    expectProblem(await hub.app.inject({ method: 'PATCH', url: `/v1/organisations/${org.id}`, headers: admin, payload: {} }), 400);
  });

  it('updating an organisation that does not exist is a 404', async () => {
    const response = await hub.app.inject({ method: 'PATCH', url: '/v1/organisations/nirgends', headers: admin, payload: { name: 'x' } });
    expectProblem(response, 404);
  });
});
