import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestHub, organisationWithToken, type TestHub } from '../helpers/hub';
import { createOrganisation, createSoftware, expectProblem, problemFields } from './fixtures';

let hub: TestHub;
beforeAll(async () => {
  hub = await createTestHub();
});
afterAll(async () => hub?.close());

/** Every page of a list, one request per page of `limit`, following nextCursor. */
async function walk(path: string, limit = 2): Promise<string[]> {
  const names: string[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 50; pages++) {
    const separator = path.includes('?') ? '&' : '?';
    const url = `${path}${separator}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const response = await hub.app.inject(url);
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json() as { items: { name: string }[]; nextCursor: string | null };
    names.push(...body.items.map((item) => item.name));
    cursor = body.nextCursor;
    if (cursor === null) return names;
  }
  throw new Error(`more than 50 pages at ${path}`);
}

describe('sorting the software list', () => {
  let organisationSlug: string;
  beforeAll(async () => {
    const publisher = await organisationWithToken(hub.app, ['publish'], 'Sortierstadt');
    organisationSlug = publisher.organisation.slug;
    const made: Record<string, string> = {};
    // Created in this order, so "newest" is the reverse.
    for (const name of ['Zählwerk', 'adressbuch', 'Ämterlotse', 'Mängelmelder', 'Bürgerportal']) {
      made[name] = (await createSoftware(hub.app, publisher.token, { organisationId: publisher.organisation.id, name })).id;
    }
    const release = (name: string, version: string, date: string) =>
      hub.app.inject({ method: 'POST', url: `/v1/software/${made[name]}/releases`, headers: bearer(publisher.token), payload: { version, date } });
    expect((await release('Zählwerk', '1.0.0', '2021-01-04')).statusCode).toBe(201);
    expect((await release('Ämterlotse', '3.1.0', '2024-05-02')).statusCode).toBe(201);
    expect((await release('Mängelmelder', '2.0.0', '2023-03-01')).statusCode).toBe(201);
    const reuse = async (name: string) => {
      const reuser = await organisationWithToken(hub.app, ['reuse']);
      const response = await hub.app.inject({ method: 'POST', url: `/v1/software/${made[name]}/reuses`, headers: bearer(reuser.token), payload: { status: 'production' } });
      expect(response.statusCode, response.body).toBe(201);
    };
    await reuse('Mängelmelder');
    await reuse('Mängelmelder');
    await reuse('adressbuch');
  });

  it('sort=name orders by name, ignoring case and umlauts, across pages', async () => {
    expect(await walk('/v1/software?sort=name')).toEqual(['adressbuch', 'Ämterlotse', 'Bürgerportal', 'Mängelmelder', 'Zählwerk']);
  });

  it('sort=newest puts the latest registered entry first, across pages', async () => {
    expect(await walk('/v1/software?sort=newest')).toEqual(['Bürgerportal', 'Mängelmelder', 'Ämterlotse', 'adressbuch', 'Zählwerk']);
  });

  it('sort=mostReused puts the most reused first, ties by slug', async () => {
    expect(await walk('/v1/software?sort=mostReused')).toEqual(['Mängelmelder', 'adressbuch', 'Ämterlotse', 'Bürgerportal', 'Zählwerk']);
  });

  it('sort=latestRelease puts the most recent release first and entries without a release last', async () => {
    expect(await walk('/v1/software?sort=latestRelease')).toEqual(['Ämterlotse', 'Mängelmelder', 'Zählwerk', 'adressbuch', 'Bürgerportal']);
  });

  it('a sort works together with filters, and with one entry per page', async () => {
    expect(await walk(`/v1/software?sort=latestRelease&organisation=${organisationSlug}&productionReuse=true`, 1)).toEqual(['Mängelmelder', 'adressbuch']);
  });

  it('a cursor handed out for one sort is refused under another', async () => {
    const first = (await hub.app.inject('/v1/software?sort=name&limit=2')).json();
    const response = await hub.app.inject(`/v1/software?sort=newest&limit=2&cursor=${encodeURIComponent(first.nextCursor)}`);
    expectProblem(response, 400);
    expect(problemFields(response)).toEqual(['cursor']);
    const unsorted = await hub.app.inject(`/v1/software?limit=2&cursor=${encodeURIComponent(first.nextCursor)}`);
    expectProblem(unsorted, 400);
  });

  it('a search (q=) keeps relevance order and says that sort does not apply to it', async () => {
    const response = await hub.app.inject('/v1/software?q=melder&sort=name');
    expectProblem(response, 400);
    expect(problemFields(response)).toEqual(['sort']);
  });

  it('an unknown sort names the allowed ones', async () => {
    const response = await hub.app.inject('/v1/software?sort=popular');
    expectProblem(response, 400);
    expect(response.json().errors).toEqual([{ field: 'querystring/sort', message: 'must be one of: name, newest, mostReused, latestRelease' }]);
  });
});

describe('searching and sorting organisations', () => {
  beforeAll(async () => {
    // Created in this order, so "newest" differs from "name".
    await createOrganisation(hub.app, { name: 'gemeinde Öhningen am Bodensee', kind: 'municipality', slug: 'oehningen' });
    await createOrganisation(hub.app, { name: 'Stadt Überlingen am Bodensee', kind: 'municipality', ags: '08435059' });
    await createOrganisation(hub.app, { name: 'Landkreis Konstanz (Bodensee)', kind: 'county', ags: '08335' });
  });

  const search = async (q: string) => (await walk(`/v1/organisations?q=${encodeURIComponent(q)}`)).sort();

  it('q finds an organisation by its name, ignoring case and umlauts (Ü, ue, u)', async () => {
    for (const q of ['überlingen', 'UEBERLINGEN', 'Uberlingen']) expect(await search(q)).toEqual(['Stadt Überlingen am Bodensee']);
  });

  it('q finds an organisation by its slug and by its official key', async () => {
    expect(await search('oehningen')).toEqual(['gemeinde Öhningen am Bodensee']);
    expect(await search('08335')).toEqual(['Landkreis Konstanz (Bodensee)']);
    expect(await search('08435059')).toEqual(['Stadt Überlingen am Bodensee']);
  });

  it('q with characters LIKE treats specially matches them literally', async () => {
    expect(await search('%')).toEqual([]);
    expect(await search('(Bodensee)')).toEqual(['Landkreis Konstanz (Bodensee)']);
  });

  it('sort=name and sort=newest order organisations across pages, also with q', async () => {
    expect(await walk('/v1/organisations?q=bodensee&sort=name', 1)).toEqual([
      'gemeinde Öhningen am Bodensee',
      'Landkreis Konstanz (Bodensee)',
      'Stadt Überlingen am Bodensee',
    ]);
    expect(await walk('/v1/organisations?q=bodensee&sort=newest', 1)).toEqual([
      'Landkreis Konstanz (Bodensee)',
      'Stadt Überlingen am Bodensee',
      'gemeinde Öhningen am Bodensee',
    ]);
    const all = await walk('/v1/organisations?sort=name', 3);
    expect(all.filter((name) => name.includes('Bodensee'))).toEqual([
      'gemeinde Öhningen am Bodensee',
      'Landkreis Konstanz (Bodensee)',
      'Stadt Überlingen am Bodensee',
    ]);
  });
});
