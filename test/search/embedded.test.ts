import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite, type Database } from '../../src/db/client';
import { insertOrganisation } from '../../src/db/queries/organisations.queries';
import { insertReuse } from '../../src/db/queries/reuses.queries';
import { findSoftware, insertSoftware, updateSoftware } from '../../src/db/queries/software.queries';
import { listOrganisationsPage } from '../../src/domain/catalogue/organisations.service';
import { searchSoftwarePage } from '../../src/domain/search/search.service';
import { suggestSearch } from '../../src/domain/search/suggest.service';

/** Embedded mode runs the same migration on PGlite (PostgreSQL 18 in wasm) and must search alike. */
describe('search in embedded mode (PGlite)', () => {
  let database: Database;
  beforeAll(async () => {
    database = await openPglite(null);
    try {
      await database.migrate();
      const { db } = database;
      const solingen = await insertOrganisation(db, { slug: 'solingen', name: 'Stadt Solingen', kind: 'municipality', state: 'Nordrhein-Westfalen', cohortYear: 2019 });
      const kiel = await insertOrganisation(db, { slug: 'kiel', name: 'Landeshauptstadt Kiel', kind: 'municipality', state: 'Schleswig-Holstein', cohortYear: 2020 });
      const melder = await insertSoftware(db, { slug: 'maengelmelder', name: 'Mängelmelder', organisationId: solingen.id, shortDescriptionDe: 'Schäden im Stadtgebiet melden', categories: ['verwaltung'], licence: 'EUPL-1.2' });
      await insertSoftware(db, { slug: 'buergerbeteiligung', name: 'Bürgerbeteiligung Online', organisationId: kiel.id, shortDescriptionEn: 'Public participation platform', categories: ['beteiligung'], licence: 'MIT' });
      await updateSoftware(db, melder.id, { readmeMarkdown: '# Mängelmelder\n\nA waste and damage reporting app.' });
      await insertReuse(db, { softwareId: melder.id, organisationId: kiel.id, status: 'production' });
    } catch (error) {
      await database.close();
      throw error;
    }
  }, 60_000);
  afterAll(async () => database.close());

  it('finds umlaut variants, compound parts, typos and README words', async () => {
    for (const q of ['Mängelmelder', 'Maengelmelder', 'Mangelmelder', 'Melder', 'Mängelmeldr', 'reporting']) {
      const page = await searchSoftwarePage(database, { q, limit: 10 });
      expect(page.items.map((i) => i.slug), q).toContain('maengelmelder');
    }
    const typo = await searchSoftwarePage(database, { q: 'buergerbeteilgung', limit: 10 });
    expect(typo.items.map((i) => i.slug)).toEqual(['buergerbeteiligung']);
    expect(typo.query?.mode).toBe('fuzzy');
  });

  it('filters and counts facets from the trigger-maintained document', async () => {
    const page = await searchSoftwarePage(database, { productionReuse: true, facets: true, limit: 10 });
    expect(page.items.map((i) => i.slug)).toEqual(['maengelmelder']);
    expect(page.facets?.state).toEqual([{ value: 'Nordrhein-Westfalen', count: 1 }]);
    expect(page.facets?.productionReuse).toEqual([{ value: 'false', count: 1 }, { value: 'true', count: 1 }]);
  });

  it('filters by a licence one may use, in any case, also after the expression changes', async () => {
    const slugs = async (licence: string[]) => (await searchSoftwarePage(database, { licence, limit: 10 })).items.map((i) => i.slug);
    expect(await slugs(['eupl-1.2'])).toEqual(['maengelmelder']);
    const melder = await findSoftware(database.db, { slug: 'maengelmelder' });
    await updateSoftware(database.db, melder!.id, { licence: 'AGPL-3.0-only OR EUPL-1.2' });
    expect(await slugs(['agpl-3.0-only'])).toEqual(['maengelmelder']);
    expect(await slugs(['EUPL-1.2', 'mit'])).toEqual(['buergerbeteiligung', 'maengelmelder']);
    const page = await searchSoftwarePage(database, { facets: true, limit: 10 });
    expect(page.facets?.licence).toEqual([
      { value: 'AGPL-3.0-only', count: 1 },
      { value: 'EUPL-1.2', count: 1 },
      { value: 'MIT', count: 1 },
    ]);
  });

  it('suggests names and terms', async () => {
    const { items } = await suggestSearch(database, { q: 'mäng', limit: 5 });
    expect(items[0]).toEqual({ kind: 'software', text: 'Mängelmelder', slug: 'maengelmelder' });
  });

  it('sorts across pages and finds organisations by folded name, as on PostgreSQL', async () => {
    const first = await searchSoftwarePage(database, { sort: 'mostReused', limit: 1 });
    const second = await searchSoftwarePage(database, { sort: 'mostReused', limit: 1, cursor: first.nextCursor! });
    expect([...first.items, ...second.items].map((i) => i.slug)).toEqual(['maengelmelder', 'buergerbeteiligung']);
    expect(second.nextCursor).toBeNull();
    const newest = await searchSoftwarePage(database, { sort: 'newest', limit: 10 });
    expect(newest.items.map((i) => i.slug)).toEqual(['buergerbeteiligung', 'maengelmelder']);
    const found = await listOrganisationsPage(database.db, { q: 'LANDESHAUPTSTADT kiel', sort: 'name', limit: 10 });
    expect(found.items.map((o) => o.slug)).toEqual(['kiel']);
  });
});
