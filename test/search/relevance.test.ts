import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHub, type TestHub } from '../helpers/hub';
import { buildCatalogue } from './catalogue';

type Ranking = { tier: string; boost: number; signals: { signal: string; value: number; boost: number }[] };
type Hit = { slug: string; organisation: { name: string }; licence: string | null; categories: string[]; search?: { score: number; matched: string[]; snippet: { field: string; text: string } | null; ranking: Ranking } };
type Page = { items: Hit[]; nextCursor: string | null; facets?: Record<string, { value: string; count: number }[]>; query?: { mode: string } };

/** Queries as a municipal user types them, with the entries that must come first. */
const QUERIES: { q: string; top3?: string[]; top10?: string[] }[] = [
  { q: 'Mängelmelder', top3: ['maengelmelder', 'open-smartcity-app'] },
  { q: 'Maengelmelder', top3: ['maengelmelder'] },
  { q: 'Mangelmelder', top3: ['maengelmelder'] },
  { q: 'mängelmelder', top3: ['maengelmelder'] },
  { q: 'Melder', top10: ['maengelmelder', 'schlaglochmelder'] },
  { q: 'Mängelmeldr', top3: ['maengelmelder'] },
  { q: 'Mängel', top3: ['maengelmelder'] },
  { q: 'mäng', top3: ['maengelmelder'] },
  { q: 'Bürgerbeteiligung', top3: ['dipas', 'consul'] },
  { q: 'buergerbeteiligung', top3: ['dipas', 'consul'] },
  { q: 'buergerbeteilgung', top10: ['dipas', 'consul'] },
  { q: 'Beteiligung', top10: ['dipas', 'consul'] },
  { q: 'Parkraum Sensor', top3: ['parkraum-sensorik'] },
  { q: 'Parkplatz', top3: ['parkraum-sensorik'] },
  { q: 'parken innenstadt', top3: ['parkleitsystem'] },
  { q: 'parking sensors', top3: ['parkraum-sensorik'] },
  { q: 'Verkehrsberuhigung', top3: ['parkraum-sensorik'] },
  { q: 'waste collection app', top3: ['abfallkalender'] },
  { q: 'waste collection', top3: ['abfallkalender', 'smart-waste-routing'] },
  { q: 'Müllabfuhr', top3: ['abfallkalender'] },
  { q: 'Abfall', top3: ['abfallkalender'], top10: ['open-smartcity-app'] },
  { q: 'Abfallkalender', top3: ['abfallkalender'] },
  { q: 'street trees', top3: ['giess-den-kiez'] },
  { q: 'Stadtbäume gießen', top3: ['giess-den-kiez'] },
  { q: 'Giess den Kiez', top3: ['giess-den-kiez'] },
  { q: 'Baumkataster', top3: ['giess-den-kiez'] },
  { q: 'Klimadaten', top3: ['klimadashboard-muenster'] },
  { q: 'CO2', top3: ['klimadashboard-muenster'] },
  { q: 'dashboard klima', top3: ['klimadashboard-muenster'] },
  { q: 'SensorThings', top3: ['frost-server'] },
  { q: 'IoT sensor data', top3: ['frost-server'] },
  { q: 'Datenplattform', top3: ['urbane-datenplattform-jena'], top10: ['lautrer-wissen'] },
  { q: 'open data', top10: ['urbane-datenplattform-jena'] },
  { q: 'Geoportal', top3: ['masterportal'] },
  { q: 'GIS map', top3: ['masterportal'] },
  { q: 'Dorf App', top3: ['smart-village-app'] },
  { q: 'Veranstaltungskalender', top3: ['gemeinschaftskalender'] },
  { q: 'Ehrenamt', top3: ['vima', 'gemeinschaftskalender'] },
  { q: 'Raumbuchung', top3: ['smart-city-booking'] },
  { q: 'booking rooms', top3: ['smart-city-booking'] },
  { q: 'Radrouting', top3: ['stadtnavi'] },
  { q: 'barrierefrei', top3: ['stadtnavi'] },
  { q: 'bike sharing', top3: ['gbfsmap'] },
  { q: 'digitaler Zwilling', top3: ['lautrer-wissen'] },
  { q: 'Feinstaub', top3: ['luftqualitaet-sensoren'] },
  { q: 'air quality', top3: ['luftqualitaet-sensoren'] },
  { q: 'Luftqualitat', top3: ['luftqualitaet-sensoren'] },
  { q: 'Hochwasser', top3: ['hochwasser-fruehwarnsystem'] },
  { q: 'flood warning', top3: ['hochwasser-fruehwarnsystem'] },
  { q: 'Frühwarnsystem', top3: ['hochwasser-fruehwarnsystem'] },
  { q: 'Schulanmeldung', top3: ['digitale-schulanmeldung'] },
  { q: 'Ratsinfo', top3: ['ratsinformationssystem'] },
  { q: 'Termin Bürgeramt', top3: ['terminvergabe-buergerbuero'] },
  { q: 'appointment booking', top3: ['terminvergabe-buergerbuero'] },
  { q: 'Photovoltaik', top3: ['energiemonitor'] },
  { q: 'Ladesäule', top3: ['ladesaeulenfinder'] },
  { q: 'Ladesaeulen', top3: ['ladesaeulenfinder'] },
  { q: 'EV charging', top3: ['ladesaeulenfinder'] },
  { q: 'Stadtführung', top3: ['stadtrundgang-app'] },
  { q: 'Leerstand', top3: ['leerstandsmanagement'] },
  { q: 'Pflegeplätze', top3: ['pflegeplatzboerse'] },
  { q: 'Strassenschaeden', top3: ['schlaglochmelder'] },
  { q: 'Schlaglöcher', top3: ['schlaglochmelder'] },
  { q: 'Solingen', top3: ['maengelmelder', 'open-smartcity-app'] },
  { q: 'Nachbarschaftshilfe', top3: ['vima'] },
  { q: 'Wahlhelfer', top3: ['wahlhelfer-a', 'wahlhelfer-b'] },
  // Umlauts typed as ae/oe/ue.
  { q: 'Ladesaeule', top3: ['ladesaeulenfinder'] },
  { q: 'Fruehwarnsystem', top3: ['hochwasser-fruehwarnsystem'] },
  { q: 'Pflegeplaetze', top3: ['pflegeplatzboerse'] },
  { q: 'Stadtfuehrung', top3: ['stadtrundgang-app'] },
  { q: 'Luftqualitaet', top3: ['luftqualitaet-sensoren'] },
  { q: 'Muellabfuhr', top3: ['abfallkalender'] },
  // Misspellings.
  { q: 'Abfalkalender', top3: ['abfallkalender'] },
  { q: 'Hochwaser', top3: ['hochwasser-fruehwarnsystem'] },
  { q: 'Ratsinformationsystem', top3: ['ratsinformationssystem'] },
  { q: 'Schulanmeldnug', top3: ['digitale-schulanmeldung'] },
  // Parts of compounds, and compounds whose ending is what entries name.
  { q: 'Kalender', top10: ['abfallkalender', 'gemeinschaftskalender', 'baustellenkalender-a'] },
  { q: 'Warnsystem', top3: ['hochwasser-fruehwarnsystem'] },
  { q: 'Terminbuchung', top10: ['smart-city-booking'] },
  // English for German entries and the reverse (synonym table).
  { q: 'participation platform', top3: ['consul'] },
  { q: 'participation', top3: ['dipas', 'consul'] },
  { q: 'parking', top3: ['parkraum-sensorik'], top10: ['parkleitsystem'] },
  { q: 'Parken', top3: ['parkleitsystem'], top10: ['parkraum-sensorik'] },
  { q: 'waste', top3: ['abfallkalender', 'smart-waste-routing'] },
  { q: 'Müll', top10: ['abfallkalender'] },
  { q: 'trees', top3: ['giess-den-kiez'] },
  { q: 'volunteering', top3: ['vima', 'gemeinschaftskalender'] },
  { q: 'energy', top3: ['energiemonitor'] },
  { q: 'school', top3: ['digitale-schulanmeldung'] },
  { q: 'map', top10: ['masterportal', 'gbfsmap'] },
  { q: 'Fahrrad', top10: ['gbfsmap'] },
  { q: 'Termin', top3: ['terminvergabe-buergerbuero'] },
  { q: 'Klima', top3: ['klimadashboard-muenster'] },
  { q: 'Beteiligung Hamburg', top3: ['dipas'] },
  // Abbreviations.
  { q: 'OZG', top3: ['ozg-antragsportal'] },
  { q: 'Onlinezugangsgesetz', top3: ['ozg-antragsportal'] },
  { q: 'DMS', top3: ['e-akte'] },
  { q: 'document management', top3: ['e-akte'] },
  { q: 'Dokumentenmanagement', top3: ['e-akte'] },
  { q: 'GIS', top3: ['masterportal'] },
  { q: 'RIS', top3: ['ratsinformationssystem'] },
  { q: 'council', top3: ['ratsinformationssystem'] },
  { q: 'ÖPNV', top3: ['stadtnavi', 'open-smartcity-app'] },
  // What reusers wrote in experience reports (README level).
  { q: 'Betrieb beim IT-Dienstleister', top3: ['ratsinformationssystem'] },
  { q: 'IT-Dienstleister', top3: ['ratsinformationssystem'] },
  { q: 'Friedhofsverwaltung', top3: ['friedhof-a', 'friedhof-b'] },
  { q: 'Spielplatz', top3: ['spielplatz-a', 'spielplatz-b'] },
  { q: 'Winterdienst', top3: ['streudienst-a', 'streudienst-b'] },
];

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
