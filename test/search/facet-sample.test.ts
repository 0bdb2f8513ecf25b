import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite, type Database } from '../../src/db/client';
import { insertOrganisation } from '../../src/db/queries/organisations.queries';
import { insertSoftware } from '../../src/db/queries/software.queries';
import { upsertDeclaredItem } from '../../src/db/queries/transfer-items.queries';
import { facetCounts } from '../../src/db/queries/search.queries';
import { searchSoftwarePage } from '../../src/domain/search/search.service';

/**
 * Facet counts for a query matching a large part of the catalogue are taken on a sample and
 * marked approximate; smaller ones are exact. 600 entries: one in three matches "Daten".
 */
describe('facet counts on a sample', () => {
  let database: Database;
  beforeAll(async () => {
    database = await openPglite(null);
    await database.migrate();
    const { db } = database;
    const org = await insertOrganisation(db, { slug: 'jena', name: 'Stadt Jena', kind: 'municipality', state: 'Thüringen', cohortYear: 2020 });
    for (let i = 0; i < 600; i++) {
      const entry = await insertSoftware(db, {
        slug: `entry-${i}`,
        name: i % 3 === 0 ? `Daten Portal ${i}` : `Friedhof Register ${i}`,
        organisationId: org.id,
        categories: [i % 2 === 0 ? 'verwaltung' : 'mobilitaet'],
        licence: i % 4 === 0 ? 'MIT' : 'EUPL-1.2',
      });
      // Every fifth entry has an installation guide: transfer package under half.
      if (i % 5 === 0) await upsertDeclaredItem(db, { softwareId: entry.id, kind: 'installation-guide', url: `https://example.org/${i}` });
    }
    await database.db.execute('ANALYZE software_search' as never);
  }, 120_000);
  afterAll(async () => database.close());

  it('scales the sampled counts to the catalogue and keeps their order', async () => {
    const text = { words: [{ tsquery: "'daten':*", patterns: [] }], any: "'daten':*" };
    const exact = await facetCounts(database.db, { text, filter: {}, maxValues: 10 });
    expect(exact.sampled).toBe(false);
    expect(exact.matched).toBe(200);
    expect(exact.rows.filter((r) => r.facet === 'licence')).toEqual([
      { facet: 'licence', value: 'EUPL-1.2', count: 150 },
      { facet: 'licence', value: 'MIT', count: 50 },
    ]);
    const sampled = await facetCounts(database.db, { text, filter: {}, maxValues: 10, sample: true });
    expect(sampled.sampled).toBe(true);
    // Fewer rows read than match, each count scaled up from them, in count order.
    expect(sampled.matched).toBeLessThan(exact.matched);
    const licence = sampled.rows.filter((r) => r.facet === 'licence').map((r) => r.count);
    expect(licence).toEqual([...licence].sort((a, b) => b - a));
    // The transfer-package bands too: "Daten" entries are every third, an installation guide every
    // fifth, so 40 of the 200 are under half; the sample keeps that order.
    expect(exact.rows.filter((r) => r.facet === 'transferPackage')).toEqual([
      { facet: 'transferPackage', value: 'none', count: 160 },
      { facet: 'transferPackage', value: 'under-half', count: 40 },
    ]);
    const bands = sampled.rows.filter((r) => r.facet === 'transferPackage');
    expect(bands.map((r) => r.value)).toEqual(['none', 'under-half']);
    expect(bands[0]!.count).toBeGreaterThan(bands[1]!.count);
  });

  it('answers exact counts, without the approximate mark, when the query matches few entries', async () => {
    const page = await searchSoftwarePage({ db: database.db }, { q: 'Daten', facets: true, limit: 10 });
    // The sample of a 600-entry catalogue holds far fewer than the threshold: counted exactly.
    expect(page.facets!.licence).toEqual([
      { value: 'EUPL-1.2', count: 150 },
      { value: 'MIT', count: 50 },
    ]);
  });
});
