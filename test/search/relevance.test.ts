import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHub, type TestHub } from '../helpers/hub';
import { buildCatalogue, QUERIES } from './catalogue';

type Ranking = { tier: string; boost: number; signals: { signal: string; value: number; boost: number }[] };
type Hit = { slug: string; organisation: { name: string }; licence: string | null; categories: string[]; search?: { score: number; matched: string[]; snippet: { field: string; text: string } | null; ranking: Ranking } };
type Page = { items: Hit[]; nextCursor: string | null; facets?: Record<string, { value: string; count: number }[]>; query?: { mode: string } };


describe('search relevance on a fixed catalogue', () => {
  let hub: TestHub;
  const search = async (query: Record<string, string | string[]>) => {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) for (const v of [value].flat()) params.append(key, v);
    const res = await hub.app.inject(`/v1/software?${params}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Page;
  };

  beforeAll(async () => {
    hub = await createTestHub();
    await buildCatalogue(hub.app, hub.deps.hub.db);
  });
  afterAll(async () => hub.close());

  it.each(QUERIES)('"$q" puts the expected entries first', async ({ q, top3 = [], top10 = [] }) => {
    const { items } = await search({ q, limit: '10' });
    const slugs = items.map((i) => i.slug);
    for (const slug of top3) expect(slugs.slice(0, 3), `${slug} in the top 3 for "${q}"`).toContain(slug);
    for (const slug of top10) expect(slugs, `${slug} in the top 10 for "${q}"`).toContain(slug);
  });

  it('has at least 80 queries written as municipal staff search', () => {
    expect(QUERIES.length).toBeGreaterThanOrEqual(80);
  });

  it('finds with a compound what its ending finds, and says which part it searched', async () => {
    const part = (await search({ q: 'Buchung', limit: '50' })).items.map((i) => i.slug);
    const compound = await search({ q: 'Terminbuchung', limit: '50' });
    expect(part.length).toBeGreaterThan(0);
    expect(compound.items.map((i) => i.slug)).toEqual(expect.arrayContaining(part));
    expect(compound.query!.mode).toBe('fuzzy');
  });

  it('ranks an entry naming the English word first and the German synonym entries after it', async () => {
    const slugs = (await search({ q: 'waste', limit: '10' })).items.map((i) => i.slug);
    expect(slugs[0]).toBe('smart-waste-routing');
    expect(slugs).toContain('abfallkalender');
  });

  it('ranks a name match above a match in another entry\'s description', async () => {
    const { items } = await search({ q: 'Mängelmelder' });
    expect(items[0]!.slug).toBe('maengelmelder');
    expect(items[0]!.search!.matched).toContain('name');
  });

  it('ranks the entry with reuses, a recent release, valid publiccode.yml and maintenance first among equal texts', async () => {
    const { items } = await search({ q: 'Baustellenkalender' });
    expect(items.map((i) => i.slug).slice(0, 2)).toEqual(['baustellenkalender-a', 'baustellenkalender-b']);
    expect(items[0]!.search!.score).toBeGreaterThan(items[1]!.search!.score);
  });

  it.each([
    { q: 'Friedhofsverwaltung', first: 'friedhof-a', second: 'friedhof-b', signal: 'confirmedProductionReuses' },
    { q: 'Spielplatzkontrolle', first: 'spielplatz-a', second: 'spielplatz-b', signal: 'transferCompleteness' },
    { q: 'Streudienstplaner', first: 'streudienst-a', second: 'streudienst-b', signal: 'recentRelease' },
  ])('orders two equal texts by $signal and names it in search.ranking', async ({ q, first, second, signal }) => {
    const { items } = await search({ q });
    expect(items.map((i) => i.slug).slice(0, 2)).toEqual([first, second]);
    const [a, b] = items.map((i) => i.search!) as [NonNullable<Hit['search']>, NonNullable<Hit['search']>];
    expect(a.score).toBeGreaterThan(b.score);
    expect(a.ranking.tier).toBe('name');
    const term = (hit: typeof a) => hit.ranking.signals.find((s) => s.signal === signal)?.boost ?? 0;
    expect(term(a)).toBeGreaterThan(term(b));
    // Everything else equal: the signal's terms are the whole difference of the scores.
    expect(a.score - b.score).toBeCloseTo(term(a) - term(b), 6);
  });

  it('breaks ties by slug', async () => {
    const { items } = await search({ q: 'Wahlhelfer' });
    expect(items.map((i) => i.slug).slice(0, 2)).toEqual(['wahlhelfer-a', 'wahlhelfer-b']);
    expect(items[0]!.search!.score).toBe(items[1]!.search!.score);
  });

  it('never returns deactivated entries', async () => {
    const { items } = await search({ q: 'Alter Mängelmelder' });
    expect(items.map((i) => i.slug)).not.toContain('alter-maengelmelder');
  });

  it('returns a highlighted snippet and the fields that matched', async () => {
    const { items } = await search({ q: 'Parkplätze' });
    const hit = items.find((i) => i.slug === 'parkraum-sensorik')!;
    expect(hit.search!.snippet!.text).toContain('<mark>Parkplätze</mark>');
    expect(hit.search!.matched).toContain('shortDescription');
    const readmeHit = (await search({ q: 'barrierefrei' })).items.find((i) => i.slug === 'stadtnavi')!;
    expect(readmeHit.search!.matched).toEqual(['readme']);
    expect(readmeHit.search!.snippet).toEqual({ field: 'readme', text: expect.stringContaining('<mark>barrierefrei</mark>') });
  });

  it('corrects misspelt words only when exact matching finds few entries', async () => {
    expect((await search({ q: 'Mängelmeldr' })).query!.mode).toBe('fuzzy');
    expect((await search({ q: 'Mängelmelder' })).query!.mode).toBe('exact');
  });

  it('answers several words no entry has together with entries that have some of them, and pages through them', async () => {
    const page = await search({ q: 'Schlaglöcher Hochwasser', limit: '10' });
    expect(page.query!.mode).toBe('partial');
    expect(page.items.map((i) => i.slug)).toEqual(expect.arrayContaining(['schlaglochmelder', 'hochwasser-fruehwarnsystem']));
    const slugs: string[] = [];
    let cursor: string | null = null;
    do {
      const next: Page = await search({ q: 'Schlaglöcher Hochwasser', limit: '1', ...(cursor ? { cursor } : {}) });
      expect(next.query!.mode).toBe('partial');
      slugs.push(...next.items.map((i) => i.slug));
      cursor = next.nextCursor;
    } while (cursor);
    expect(slugs).toEqual(page.items.map((i) => i.slug));
    // Words that are all found together stay exact.
    expect((await search({ q: 'Parkraum Sensor' })).query!.mode).toBe('exact');
  });

  it('combines a query with a federal state filter', async () => {
    const { items } = await search({ q: 'App', state: 'Nordrhein-Westfalen' });
    expect(items.map((i) => i.slug)).toEqual(expect.arrayContaining(['maengelmelder', 'open-smartcity-app']));
    expect(items.map((i) => i.slug)).not.toContain('smart-village-app');
  });

  it('combines a query with organisation kind and funding cohort', async () => {
    const { items } = await search({ q: 'Sensor', organisationKind: 'municipality', cohort: '2019' });
    expect(items.map((i) => i.slug).slice(0, 3)).toContain('parkraum-sensorik');
    expect(items.every((i) => ['Stadt Ulm', 'Stadt Solingen', 'Stadt Wolfsburg', 'Stadt Bad Belzig'].includes(i.organisation.name))).toBe(true);
  });

  it('filters by facets without a query: AND across facets, OR within one', async () => {
    const { items } = await search({ category: 'mobilitaet', licence: ['EUPL-1.2', 'GPL-3.0-only'] });
    const slugs = items.map((i) => i.slug);
    expect(slugs).toEqual(expect.arrayContaining(['parkraum-sensorik', 'parkleitsystem', 'stadtnavi']));
    for (const item of items) {
      expect(item.categories).toContain('mobilitaet');
      expect(['EUPL-1.2', 'GPL-3.0-only']).toContain(item.licence);
    }
  });

  it('keeps only entries with a production reuse when asked', async () => {
    const { items } = await search({ q: 'Beteiligung', productionReuse: 'true' });
    const slugs = items.map((i) => i.slug);
    expect(slugs).toContain('dipas');
    expect(slugs).not.toContain('consul');
  });

  it('counts facets for the query, each facet without its own filter', async () => {
    const page = await search({ q: 'Melder', facets: 'true', state: 'Nordrhein-Westfalen' });
    // Mängelmelder by name, the Open SmartCity App by its module list ("… Mängelmelder …"), both Solingen.
    expect(page.items.map((i) => i.slug)).toEqual(['maengelmelder', 'open-smartcity-app']);
    const facets = page.facets!;
    // The state facet ignores the state filter: Kiel's Schlaglochmelder and Ulm's parking sensors
    // ("Bodensensoren melden …": melden and Melder share the stem) are one click away.
    expect(facets.state).toEqual([
      { value: 'Nordrhein-Westfalen', count: 2 },
      { value: 'Baden-Württemberg', count: 1 },
      { value: 'Schleswig-Holstein', count: 1 },
    ]);
    expect(facets.licence).toEqual([{ value: 'EUPL-1.2', count: 1 }, { value: 'MIT', count: 1 }]);
    expect(facets.organisationKind).toEqual([{ value: 'municipality', count: 2 }]);
    expect(facets.cohort).toEqual([{ value: '2019', count: 2 }]);
    expect(facets.productionReuse).toEqual([{ value: 'false', count: 1 }, { value: 'true', count: 1 }]);
    expect(facets.developmentStatus).toEqual([{ value: 'stable', count: 2 }]);
    expect(facets.category).toEqual([{ value: 'verwaltung', count: 2 }, { value: 'beteiligung', count: 1 }]);
    expect(facets.transferPackage).toEqual([{ value: 'none', count: 2 }]);
  });

  it('counts and filters the transfer-package bands', async () => {
    const page = await search({ q: 'Spielplatzkontrolle', facets: 'true' });
    expect(page.facets!.transferPackage).toEqual([{ value: 'half-or-more', count: 1 }, { value: 'none', count: 1 }]);
    const filtered = await search({ q: 'Spielplatzkontrolle', transferPackage: ['half-or-more', 'complete'] });
    expect(filtered.items.map((i) => i.slug)).toEqual(['spielplatz-a']);
  });

  it('finds an entry by its experience report below entries whose own texts match, and says where', async () => {
    const { items } = await search({ q: 'Betrieb beim IT-Dienstleister' });
    const hit = items.find((i) => i.slug === 'ratsinformationssystem')!;
    expect(hit.search!.matched).toEqual(['experienceReports']);
    expect(hit.search!.ranking.tier).toBe('readme');
    expect(hit.search!.snippet).toEqual({ field: 'experienceReports', text: expect.stringContaining('<mark>Betrieb</mark>') });
  });

  it('applies the other facets\' filters to each facet count', async () => {
    const facets = (await search({ q: 'Melder', facets: 'true', licence: 'MIT' })).facets!;
    // Only MIT entries are counted per state (Open SmartCity App, Schlaglochmelder) …
    expect(facets.state).toEqual([
      { value: 'Nordrhein-Westfalen', count: 1 },
      { value: 'Schleswig-Holstein', count: 1 },
    ]);
    // … while the licence facet still shows the EUPL alternatives (Mängelmelder, Parkraum-Sensorik).
    expect(facets.licence).toEqual([{ value: 'EUPL-1.2', count: 2 }, { value: 'MIT', count: 2 }]);
  });

  it('pages through ranked results by cursor without duplicates or gaps', async () => {
    const all = (await search({ q: 'Stadt', limit: '100' })).items.map((i) => i.slug);
    expect(all.length).toBeGreaterThan(5);
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = await search({ q: 'Stadt', limit: '2', ...(cursor ? { cursor } : {}) });
      paged.push(...page.items.map((i) => i.slug));
      cursor = page.nextCursor;
    } while (cursor);
    expect(paged).toEqual(all);
  });

  it('rejects a cursor it did not hand out', async () => {
    const res = await hub.app.inject('/v1/software?q=App&cursor=bm9wZQ');
    expect(res.statusCode).toBe(400);
  });

  it('sees a write in the next search: the index is kept in the same transaction', async () => {
    expect((await search({ q: 'Energiemonitor' })).items[0]!.organisation.name).toBe('Stadt Wolfsburg');
    const res = await hub.app.inject({ method: 'GET', url: '/v1/software/energiemonitor' });
    const id = (res.json() as { organisation: { id: string } }).organisation.id;
    const patched = await hub.app.inject({
      method: 'PATCH',
      url: `/v1/organisations/${id}`,
      headers: { authorization: 'Bearer test-admin-token-0123456789' },
      payload: { name: 'Stadt Wolfsburg (Energie)' },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    const page = await search({ q: 'Energie Wolfsburg' });
    expect(page.items[0]!.slug).toBe('energiemonitor');
  });

  it('suggests software names and terms for a prefix', async () => {
    const res = await hub.app.inject('/v1/search/suggest?q=m%C3%A4ng');
    expect(res.statusCode).toBe(200);
    const { items } = res.json() as { items: { kind: string; text: string; slug: string | null }[] };
    expect(items[0]).toEqual({ kind: 'software', text: 'Mängelmelder', slug: 'maengelmelder' });
    const park = (await hub.app.inject('/v1/search/suggest?q=park')).json() as { items: { text: string }[] };
    expect(park.items.map((i) => i.text)).toEqual(expect.arrayContaining(['Parkraum-Sensorik', 'Parkleitsystem Innenstadt']));
    const term = (await hub.app.inject('/v1/search/suggest?q=Feinst')).json() as { items: { kind: string; text: string }[] };
    expect(term.items).toContainEqual({ kind: 'term', text: 'feinstaub', slug: null });
  });

  it('never suggests a stop word as the completion of a word', async () => {
    // "d" completes to "der", "die", "des", "dem" (stop words in the texts) and to words worth searching.
    const { items } = (await hub.app.inject('/v1/search/suggest?q=open%20d')).json() as { items: { kind: string; text: string }[] };
    const terms = items.filter((i) => i.kind === 'term').map((i) => i.text);
    expect(terms.length).toBeGreaterThan(0);
    for (const stop of ['open der', 'open die', 'open des', 'open dem', 'open den', 'open das']) expect(terms).not.toContain(stop);
  });
});
