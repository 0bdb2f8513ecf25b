import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { longTailPaths } from '../../bench/search-queries';
import { TRANSFER_BANDS, type TransferBand } from '../../src/db/queries/search.queries';
import { SearchIndex } from '../../src/domain/search/index/search-index';
import { searchSoftwarePage, type SearchInput } from '../../src/domain/search/search.service';
import { admin, createTestHub, type TestHub } from '../helpers/hub';
import { queryDatabase } from '../http/fixtures';
import { buildCatalogue, QUERIES } from './catalogue';

/**
 * The in-process index (src/domain/search/index/) and the database's statements answer every
 * search alike: the same entries in the same order with the same scores, matched fields, cursors
 * and facet counts. Each search runs once on the database alone and once on the index, which must
 * answer it itself (never handing it back to the database).
 */
describe('the in-process search index answers as the database does', { timeout: 240_000 }, () => {
  let hub: TestHub;
  let index: SearchIndex;

  beforeAll(async () => {
    hub = await createTestHub({ HUB_SEARCH_INDEX: 'false' });
    await buildCatalogue(hub.app, hub.deps.hub.db);
    index = new SearchIndex(hub.deps.hub.db);
    await index.ready();
  }, 240_000);
  afterAll(async () => {
    index?.close();
    await hub?.close();
  });

  /** Both answers of one search, and the next page's through the cursor of the database's answer. */
  async function compare(input: SearchInput) {
    const db = hub.deps.hub.db;
    const declined = index.declined;
    const expected = await searchSoftwarePage({ db }, input);
    const actual = await searchSoftwarePage({ db, searchIndex: index }, input);
    expect(index.declined, `the index answered ${JSON.stringify(input)} itself`).toBe(declined);
    expect(actual, JSON.stringify(input)).toEqual(expected);
    if (expected.nextCursor) {
      const next = { ...input, cursor: expected.nextCursor };
      expect(await searchSoftwarePage({ db, searchIndex: index }, next), JSON.stringify(next)).toEqual(await searchSoftwarePage({ db }, next));
    }
    return expected;
  }

  it('for the relevance queries, with facets, filters and a second page', async () => {
    let hits = 0;
    for (const { q } of QUERIES) {
      hits += (await compare({ q, limit: 10 })).items.length;
      await compare({ q, limit: 2, facets: true });
      await compare({ q: q.slice(0, Math.max(3, q.length - 2)), limit: 5 });
    }
    expect(hits).toBeGreaterThan(QUERIES.length);
    for (const filter of [{ category: ['verwaltung'] }, { state: ['Nordrhein-Westfalen', 'Bayern'] }, { licence: ['eupl-1.2'] }, { cohort: [2020] }, { productionReuse: true }]) {
      await compare({ q: 'App', limit: 3, facets: true, ...filter });
      await compare({ q: 'Karte Stadt', limit: 3, facets: true, ...filter });
      await compare({ limit: 3, facets: true, ...filter });
    }
  });

  it('for a long tail of generated queries (words, typos, prefixes, filters)', async () => {
    for (const path of longTailPaths(150)) {
      const params = new URL(path, 'http://x').searchParams;
      const input: SearchInput = { q: params.get('q')!, limit: 5, facets: params.get('facets') === 'true' };
      for (const key of ['state', 'category', 'licence', 'organisationKind', 'status'] as const) if (params.get(key)) input[key] = [params.get(key)!];
      if (params.get('cohort')) input.cohort = [Number(params.get('cohort'))];
      if (params.get('productionReuse')) input.productionReuse = true;
      await compare(input);
    }
    await compare({ q: 'App', limit: 5, facets: true, transferPackage: [...TRANSFER_BANDS] as TransferBand[] });
  });

  it('filters by origin as the database does, and follows records that become mirrored or local again', async () => {
    const hubB = 'https://hub-b.example';
    const mirrored = await queryDatabase<{ id: string }>(hub, `SELECT id FROM software WHERE active ORDER BY slug LIMIT 7`);
    const record = (id: string, n: number) =>
      queryDatabase(
        hub,
        `INSERT INTO federation_record (type, record_id, global_id, origin_hub, origin_version, origin_updated_at, received_from, received_at, content_digest, entry)
         VALUES ('software', $1, $2, $3, 1, now(), $3, now(), 'x', '{}')`,
        [id, `${hubB}/id/software/${id}`, n % 2 === 0 ? hubB : 'https://hub-c.example'],
      );
    for (const [n, { id }] of mirrored.entries()) await record(id, n);
    const searches: SearchInput[] = [];
    for (const origin of ['local', { hub: hubB }, { hub: 'https://hub-c.example' }, { hub: 'https://nowhere.example' }] as const) {
      searches.push({ q: 'App', limit: 3, facets: true, origin }, { limit: 4, facets: true, origin }, { q: 'Karte Stadt', limit: 2, origin });
    }
    for (const input of searches) await compare(input);
    const fromB = await searchSoftwarePage({ db: hub.deps.hub.db, searchIndex: index }, { limit: 10, origin: { hub: hubB } });
    expect(fromB.items.map((item) => item.provenance.origin)).toEqual(Array(4).fill(hubB));
    // Every record local again: the index follows the search document.
    await queryDatabase(hub, `DELETE FROM federation_record WHERE origin_hub IS NOT NULL`);
    for (const input of searches) await compare(input);
    expect((await searchSoftwarePage({ db: hub.deps.hub.db, searchIndex: index }, { limit: 10, origin: { hub: hubB } })).items).toEqual([]);
  });

  it('after writes: a new entry, a rename and a deletion are seen by the next search', async () => {
    const before = index.loads;
    const org = (await hub.app.inject({ method: 'POST', url: '/v1/organisations', headers: admin, payload: { slug: 'neustadt', name: 'Stadt Neustadt', kind: 'municipality' } })).json() as { id: string };
    const created = await hub.app.inject({
      method: 'POST',
      url: '/v1/software',
      headers: admin,
      payload: { slug: 'wasserpegel-neustadt', name: 'Wasserpegel Neustadt', organisationId: org.id, shortDescription: { de: 'Pegelstände der Flüsse als Karte' } },
    });
    expect(created.statusCode, created.body).toBe(201);
    const found = await compare({ q: 'Pegelstände', limit: 10, facets: true });
    expect(found.items.map((i) => i.slug)).toContain('wasserpegel-neustadt');
    const renamed = await hub.app.inject({ method: 'PATCH', url: '/v1/software/wasserpegel-neustadt', headers: admin, payload: { name: 'Flusspegel Neustadt' } });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect((await compare({ q: 'Flusspegel', limit: 10 })).items.map((i) => i.slug)).toEqual(['wasserpegel-neustadt']);
    await compare({ q: 'Wasserpegel', limit: 10 });
    const deleted = await hub.app.inject({ method: 'DELETE', url: '/v1/software/wasserpegel-neustadt', headers: admin });
    expect(deleted.statusCode, deleted.body).toBe(204);
    expect((await compare({ q: 'Flusspegel', limit: 10 })).items.map((i) => i.slug)).not.toContain('wasserpegel-neustadt');
    // Kept in step by the changes, not loaded again.
    expect(index.loads).toBe(before);
  });

  it('with a lag, sees another process only after it, and a write of its own process at once', async () => {
    const db = hub.deps.hub.db;
    const lagged = new SearchIndex(db, undefined, 1500);
    try {
      await lagged.ready();
      const names = async () => (await searchSoftwarePage({ db, searchIndex: lagged }, { q: 'Schleusenwärter', limit: 10 })).items.map((i) => i.name);
      expect(await names()).toEqual([]);
      // Another process renames an entry: not asked for within the lag, seen after it.
      await queryDatabase(hub, "UPDATE software SET name = 'Schleusenwärter' WHERE slug = (SELECT min(slug) FROM software WHERE active)");
      expect(await names()).toEqual([]);
      await new Promise((resolve) => setTimeout(resolve, 1600));
      expect(await names()).toEqual(['Schleusenwärter']);
      // This process writes (search-freshness marks the request): the next search catches up.
      lagged.writeStarted();
      await queryDatabase(hub, "UPDATE software SET name = 'Schleusenwärter Nord' WHERE name = 'Schleusenwärter'");
      lagged.writeEnded();
      expect(await names()).toEqual(['Schleusenwärter Nord']);
      // A write still running when a search starts: that search catches up too.
      lagged.writeStarted();
      await queryDatabase(hub, "UPDATE software SET name = 'Schleusenwärter Süd' WHERE name = 'Schleusenwärter Nord'");
      expect(await names()).toEqual(['Schleusenwärter Süd']);
      lagged.writeEnded();
    } finally {
      lagged.close();
    }
  });
});
