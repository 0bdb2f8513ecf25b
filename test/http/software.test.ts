import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, bearer, createTestHub, organisationWithToken, type TestHub } from '../helpers/hub';
import { createSoftware, expectProblem, problemFields, walkPages, type Software } from './fixtures';

let hub: TestHub;
let publisher: { organisation: { id: string; slug: string; name: string }; token: string };
beforeAll(async () => {
  hub = await createTestHub();
  publisher = await organisationWithToken(hub.app, ['publish'], 'Stadt Musterhausen');
});
afterAll(async () => hub?.close());

const full = {
  name: 'Mängelmelder',
  shortDescription: { de: 'Schäden melden', en: 'Report damage' },
  longDescription: { de: 'Bürgerinnen melden Schäden im Straßenraum.' },
  categories: ['citizen-engagement', 'maps', 'maps'],
  licence: 'eupl-1.2',
  developmentStatus: 'stable',
  repositoryUrl: 'https://GitHub.com/musterhausen/maengelmelder.git/',
};

describe('creating software', () => {
  it('a publish token of the organisation creates an entry with canonical licence, url and deduplicated categories', async () => {
    const response = await hub.app.inject({
      method: 'POST',
      url: '/v1/software',
      headers: bearer(publisher.token),
      payload: { ...full, organisationId: publisher.organisation.slug },
    });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toMatchObject({
      slug: 'maengelmelder',
      name: 'Mängelmelder',
      organisation: { id: publisher.organisation.id, slug: publisher.organisation.slug, name: 'Stadt Musterhausen' },
      description: { de: { short: 'Schäden melden', long: 'Bürgerinnen melden Schäden im Straßenraum.' }, en: { short: 'Report damage', long: null } },
      categories: ['citizen-engagement', 'maps'],
      licence: 'EUPL-1.2',
      developmentStatus: 'stable',
      repositoryUrl: 'https://github.com/musterhausen/maengelmelder',
      latestRelease: null,
      active: true,
      publiccode: null,
      readme: null,
    });
  });

  it('a description sent as null is stored as null, not as an empty string', async () => {
    const software = await createSoftware(hub.app, publisher.token, {
      organisationId: publisher.organisation.id,
      longDescription: { de: 'Lang', en: null },
    });
    expect((software as unknown as { description: { en: { long: unknown } } }).description.en.long).toBeNull();
  });

  it('a compound SPDX expression is accepted', async () => {
    const software = await createSoftware(hub.app, publisher.token, {
      organisationId: publisher.organisation.id,
      licence: 'MIT OR Apache-2.0',
    });
    expect((software as unknown as { licence: string }).licence).toBe('MIT OR Apache-2.0');
  });

  it('an invalid SPDX licence is a 400 naming the licence and nothing is stored', async () => {
    const response = await hub.app.inject({
      method: 'POST',
      url: '/v1/software',
      headers: bearer(publisher.token),
      payload: { name: 'Lizenzfehler', organisationId: publisher.organisation.id, licence: 'GPL-9.0-or-later' },
    });
    expectProblem(response, 400);
    expect(problemFields(response)).toEqual(['/licence']);
    expectProblem(await hub.app.inject('/v1/software/lizenzfehler'), 404);
  });

  it('a development status outside the publiccode.yml vocabulary is a 400', async () => {
    const response = await hub.app.inject({
      method: 'POST',
      url: '/v1/software',
      headers: bearer(publisher.token),
      payload: { name: 'Status', organisationId: publisher.organisation.id, developmentStatus: 'finished' },
    });
    expectProblem(response, 400);
    expect(new Set(problemFields(response))).toEqual(new Set(['body/developmentStatus']));
  });

  it('a taken slug is a 409', async () => {
    await createSoftware(hub.app, publisher.token, { organisationId: publisher.organisation.id, slug: 'belegt' });
    const response = await hub.app.inject({
      method: 'POST',
      url: '/v1/software',
      headers: bearer(publisher.token),
      payload: { name: 'Noch einmal', organisationId: publisher.organisation.id, slug: 'belegt' },
    });
    expectProblem(response, 409);
  });

  it('software for an organisation that does not exist is a 404', async () => {
    const response = await hub.app.inject({
      method: 'POST',
      url: '/v1/software',
      headers: admin,
      payload: { name: 'Waise', organisationId: 'keine-organisation' },
    });
    expectProblem(response, 404);
  });
});

describe('reading software', () => {
  it('an entry answers to its uuid and to its slug with the same body', async () => {
    const software = await createSoftware(hub.app, publisher.token, { organisationId: publisher.organisation.id, name: 'Parkleitsystem' });
    const byId = await hub.app.inject(`/v1/software/${software.id}`);
    const bySlug = await hub.app.inject('/v1/software/parkleitsystem');
    expect(byId.statusCode).toBe(200);
    expect(bySlug.json()).toEqual(byId.json());
    expect(byId.json()).toMatchObject({ id: software.id, name: 'Parkleitsystem', forge: {} });
  });

  it('an unknown id or slug is a 404 problem', async () => {
    expectProblem(await hub.app.inject('/v1/software/00000000-0000-4000-8000-000000000000'), 404);
    expectProblem(await hub.app.inject('/v1/software/gibt-es-nicht'), 404);
  });

  it('the list filters by organisation, licence, category and status', async () => {
    const other = await organisationWithToken(hub.app, ['publish'], 'Filtergemeinde');
    const a = await createSoftware(hub.app, other.token, {
      organisationId: other.organisation.id,
      name: 'Filter A',
      licence: 'MIT',
      categories: ['maps'],
      developmentStatus: 'beta',
    });
    const b = await createSoftware(hub.app, other.token, {
      organisationId: other.organisation.id,
      name: 'Filter B',
      licence: 'EUPL-1.2',
      categories: ['e-government'],
      developmentStatus: 'stable',
    });
    const names = async (query: string) =>
      ((await hub.app.inject(`/v1/software?organisation=${other.organisation.slug}&${query}`)).json().items as Software[]).map((s) => s.name);
    expect(await names('')).toEqual(['Filter A', 'Filter B']);
    expect(await names('licence=MIT')).toEqual(['Filter A']);
    expect(await names('category=e-government')).toEqual(['Filter B']);
    expect(await names('status=beta&status=stable')).toEqual(['Filter A', 'Filter B']);
    expect(await names('status=concept')).toEqual([]);
    const byId = (await hub.app.inject(`/v1/software?organisation=${other.organisation.id}`)).json().items as Software[];
    expect(byId.map((s) => s.id)).toEqual([a.id, b.id]);
  });

  it('the licence filter ignores case and finds entries one may use under that licence: an OR branch of it alone, not an AND with another', async () => {
    const other = await organisationWithToken(hub.app, ['publish'], 'Lizenzgemeinde');
    const entries: [string, string][] = [
      ['Lizenz Oder', 'AGPL-3.0-only OR EUPL-1.2'],
      ['Lizenz Und', 'GPL-3.0-only AND MIT'],
      ['Lizenz MIT', 'MIT'],
      ['Lizenz Ausnahme', 'GPL-2.0-only WITH Classpath-exception-2.0'],
      ['Lizenz Klammer', '(MIT OR Apache-2.0) AND (MIT OR BSD-3-Clause)'],
    ];
    for (const [name, licence] of entries) await createSoftware(hub.app, other.token, { organisationId: other.organisation.id, name, licence });
    const list = async (query: string) =>
      (await hub.app.inject(`/v1/software?organisation=${other.organisation.slug}&${query}`)).json() as {
        items: Software[];
        facets?: { licence: { value: string; count: number }[] };
      };
    const names = async (query: string) => (await list(query)).items.map((s) => s.name);
    expect(await names('licence=eupl-1.2')).toEqual(['Lizenz Oder']);
    expect(await names('licence=EUPL-1.2')).toEqual(['Lizenz Oder']);
    expect(await names('licence=mit')).toEqual(['Lizenz Klammer', 'Lizenz MIT']);
    expect(await names('licence=GPL-2.0-only')).toEqual(['Lizenz Ausnahme']);
    expect(await names('licence=Apache-2.0')).toEqual([]);
    expect(await names('licence=GPL-3.0-only')).toEqual([]);
    expect(await names('licence=MIT&licence=agpl-3.0-only')).toEqual(['Lizenz Klammer', 'Lizenz MIT', 'Lizenz Oder']);
    expect(await names('q=Lizenz&licence=eupl-1.2')).toEqual(['Lizenz Oder']);
    // The facet counts what each filter value gives: one count per licence one may use.
    const facet = (await list('facets=true')).facets!.licence;
    expect([...facet].sort((x, y) => x.value.localeCompare(y.value))).toEqual([
      { value: 'AGPL-3.0-only', count: 1 },
      { value: 'EUPL-1.2', count: 1 },
      { value: 'GPL-2.0-only', count: 1 },
      { value: 'MIT', count: 2 },
    ]);
    for (const { value, count } of facet) expect(await names(`licence=${encodeURIComponent(value)}`)).toHaveLength(count);
  });

  it('filtering by an organisation that does not exist gives an empty list', async () => {
    const response = await hub.app.inject('/v1/software?organisation=niemand');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ items: [], nextCursor: null });
  });
});

describe('paging through software', () => {
  it('walking 45 entries 7 at a time returns each exactly once', async () => {
    const own = await createTestHub();
    try {
      const org = await organisationWithToken(own.app, ['publish']);
      const created = await Promise.all(
        Array.from({ length: 45 }, (_, i) =>
          createSoftware(own.app, org.token, { organisationId: org.organisation.id, name: `Fachverfahren ${i}` }),
        ),
      );
      const { items, pages } = await walkPages<Software>(own.app, '/v1/software', 7);
      expect(pages).toBe(7);
      expect(items).toHaveLength(45);
      expect(new Set(items.map((s) => s.id))).toEqual(new Set(created.map((s) => s.id)));
    } finally {
      await own.close();
    }
  });
});

describe('updating and deactivating software', () => {
  it('the publisher changes fields and a later read shows them', async () => {
    const software = await createSoftware(hub.app, publisher.token, { organisationId: publisher.organisation.id, licence: 'MIT' });
    const response = await hub.app.inject({
      method: 'PATCH',
      url: `/v1/software/${software.slug}`,
      headers: bearer(publisher.token),
      payload: { licence: 'gpl-3.0-or-later', categories: ['mobility'], shortDescription: { en: 'Parking' } },
    });
    expect(response.statusCode, response.body).toBe(200);
    expect((await hub.app.inject(`/v1/software/${software.id}`)).json()).toMatchObject({
      licence: 'GPL-3.0-or-later',
      categories: ['mobility'],
      description: { en: { short: 'Parking' } },
    });
  });

  it('moving software to another organisation is a 400', async () => {
    const software = await createSoftware(hub.app, publisher.token, { organisationId: publisher.organisation.id });
    const other = await organisationWithToken(hub.app, ['publish']);
    const response = await hub.app.inject({
      method: 'PATCH',
      url: `/v1/software/${software.id}`,
      headers: admin,
      payload: { organisationId: other.organisation.id },
    });
    expectProblem(response, 400);
    expect(problemFields(response)).toEqual(['/organisationId']);
  });

  it('changing the slug is a 400', async () => {
    const software = await createSoftware(hub.app, publisher.token, { organisationId: publisher.organisation.id });
    const response = await hub.app.inject({
      method: 'PATCH',
      url: `/v1/software/${software.id}`,
      headers: bearer(publisher.token),
      payload: { slug: 'anders' },
    });
    expectProblem(response, 400);
  });

  it('an invalid licence in an update is a 400 and the stored licence stays', async () => {
    const software = await createSoftware(hub.app, publisher.token, { organisationId: publisher.organisation.id, licence: 'MIT' });
    const response = await hub.app.inject({
      method: 'PATCH',
      url: `/v1/software/${software.id}`,
      headers: bearer(publisher.token),
      payload: { licence: 'MIT AND' },
    });
    expectProblem(response, 400);
    expect((await hub.app.inject(`/v1/software/${software.id}`)).json().licence).toBe('MIT');
  });

  it('DELETE deactivates: 204, hidden from the list, still readable by id, and reactivated by PATCH', async () => {
    const software = await createSoftware(hub.app, publisher.token, { organisationId: publisher.organisation.id, name: 'Abgekuendigt' });
    const listed = async () =>
      ((await hub.app.inject(`/v1/software?organisation=${publisher.organisation.id}&limit=100`)).json().items as Software[]).map((s) => s.id);
    expect(await listed()).toContain(software.id);

    const deleted = await hub.app.inject({ method: 'DELETE', url: `/v1/software/${software.id}`, headers: bearer(publisher.token) });
    expect(deleted.statusCode).toBe(204);
    expect(deleted.body).toBe('');
    expect(await listed()).not.toContain(software.id);
    expect((await hub.app.inject(`/v1/software/${software.slug}`)).json()).toMatchObject({ id: software.id, active: false });

    const reactivated = await hub.app.inject({
      method: 'PATCH',
      url: `/v1/software/${software.id}`,
      headers: bearer(publisher.token),
      payload: { active: true },
    });
    expect(reactivated.statusCode).toBe(200);
    expect(await listed()).toContain(software.id);
  });

  it('deleting software that does not exist is a 404', async () => {
    expectProblem(await hub.app.inject({ method: 'DELETE', url: '/v1/software/gibt-es-nicht', headers: admin }), 404);
  });
});
