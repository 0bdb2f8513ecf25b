import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withinASecond } from '../helpers/within-a-second';
import { admin, bearer, createTestHub, organisationWithToken, type TestHub } from '../helpers/hub';
import { publisherWithSoftware, queryDatabase } from './fixtures';

/**
 * Knowledge transfer in search (issue 11 §2, §3; issue 13's ranking bullet): what reusers wrote in
 * experience reports finds the software, confirmed production reuses and the transfer package
 * order equal texts and say so in `search.ranking`, and the transfer package is a facet.
 */
type Hit = {
  slug: string;
  search: {
    score: number;
    matched: string[];
    snippet: { field: string; text: string } | null;
    ranking: { tier: string; boost: number; signals: { signal: string; value: number; boost: number }[] };
  };
};
type Page = { items: Hit[]; facets?: Record<string, { value: string; count: number }[]> };

let hub: TestHub;
beforeAll(async () => {
  hub = await createTestHub();
});
afterAll(async () => hub?.close());

async function search(query: string): Promise<Page> {
  const res = await hub.app.inject(`/v1/software?${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Page;
}

async function reuseOf(softwareId: string, status = 'production') {
  const reuser = await organisationWithToken(hub.app, ['reuse']);
  const res = await hub.app.inject({ method: 'POST', url: `/v1/software/${softwareId}/reuses`, headers: bearer(reuser.token), payload: { status } });
  expect(res.statusCode, res.body).toBe(201);
  return { ...reuser, reuseId: res.json().id as string };
}

async function writeReport(softwareId: string, reuse: { reuseId: string; token: string }, body: Record<string, unknown>) {
  const res = await hub.app.inject({
    method: 'POST',
    url: `/v1/software/${softwareId}/reuses/${reuse.reuseId}/experience-reports`,
    headers: bearer(reuse.token),
    payload: { recommendation: 4, ...body },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}

describe('experience reports in search', () => {
  it('finds software by what its reusers wrote, says it matched in the reports and shows that text', async () => {
    const producer = await publisherWithSoftware(hub.app, { name: 'Grünflächenpflege Planer', shortDescription: { de: 'Pflegepläne für Parks und Straßenbegleitgrün.' } });
    const other = await publisherWithSoftware(hub.app, { name: 'Grünflächenpflege Kataster', shortDescription: { de: 'Flächenverzeichnis für Parks.' } });
    const q = `q=${encodeURIComponent('Betrieb beim IT-Dienstleister')}`;
    // Asked before the report exists: answered (and cached) without it.
    expect((await search(q)).items.map((i) => i.slug)).not.toContain(producer.software.slug);

    const reuse = await reuseOf(producer.software.id);
    await writeReport(producer.software.id, reuse, {
      adaptations: 'Anbindung an unser Fachverfahren Grünflächen.',
      whatWorked: 'Der **Betrieb beim IT-Dienstleister** (Kommunalservice Nord) lief vom ersten Tag an stabil.',
      whatDidNotWork: 'Die Schulung kam zu spät.',
    });
    const { items } = await search(q);
    const hit = items.find((i) => i.slug === producer.software.slug);
    expect(hit, 'the reported software is found, also right after a cached answer').toBeDefined();
    expect(items.map((i) => i.slug)).not.toContain(other.software.slug);
    expect(hit!.search.matched).toEqual(['experienceReports']);
    expect(hit!.search.ranking.tier).toBe('readme');
    expect(hit!.search.snippet).toEqual({ field: 'experienceReports', text: expect.stringContaining('<mark>Betrieb</mark>') });
    // Every field a report writes is searched: adaptations and what did not work too.
    expect((await search(`q=${encodeURIComponent('Fachverfahren Schulung')}`)).items.map((i) => i.slug)).toContain(producer.software.slug);
  });

  it('ranks an entry whose own texts name the words above one whose reusers wrote them', async () => {
    const described = await publisherWithSoftware(hub.app, { name: 'Wasserzählerportal', shortDescription: { de: 'Zählerstände melden; Fernablesung über LoRaWAN.' } });
    const reported = await publisherWithSoftware(hub.app, { name: 'Wasserzählerportal Nord', shortDescription: { de: 'Zählerstände online melden.' } });
    await writeReport(reported.software.id, await reuseOf(reported.software.id), { whatWorked: 'Die Fernablesung klappte auf Anhieb.' });
    const slugs = (await search(`q=Fernablesung`)).items.map((i) => i.slug);
    expect(slugs.slice(0, 2)).toEqual([described.software.slug, reported.software.slug]);
  });

  it('a hidden report leaves the search document in the same request; unhiding brings it back', async () => {
    const producer = await publisherWithSoftware(hub.app, { name: 'Hundesteuer Online' });
    const reuse = await reuseOf(producer.software.id);
    const id = await writeReport(producer.software.id, reuse, { whatWorked: 'Schmähkritik über Sachbearbeiterin Quastenflosser.' });
    const found = async () => (await search('q=Quastenflosser')).items.map((i) => i.slug);
    expect(await found()).toEqual([producer.software.slug]);
    const hidden = await hub.app.inject({
      method: 'POST',
      url: `/v1/software/${producer.software.id}/experience-reports/${id}/hide`,
      headers: admin,
      payload: { reason: 'Beleidigend' },
    });
    expect(hidden.statusCode, hidden.body).toBe(204);
    expect(await found()).toEqual([]);
    // There is no unhide route yet; the trigger follows hidden_at whoever writes it.
    await queryDatabase(hub, 'UPDATE experience_report SET hidden_at = NULL, hidden_reason = NULL WHERE id = $1', [id]);
    expect(await withinASecond(found, [producer.software.slug])).toEqual([producer.software.slug]);
  });

  it("the producer's answer is not searched: the search finds what reusers wrote", async () => {
    const producer = await publisherWithSoftware(hub.app, { name: 'Sperrmüll Termine' });
    const reuse = await reuseOf(producer.software.id);
    const id = await writeReport(producer.software.id, reuse, { whatWorked: 'Terminbuchung einfach.' });
    const answered = await hub.app.inject({
      method: 'POST',
      url: `/v1/software/${producer.software.id}/experience-reports/${id}/answer`,
      headers: bearer(producer.token),
      payload: { answer: 'Danke! Version 2 kann auch Sperrgutabholung für Gewerbe.' },
    });
    expect(answered.statusCode, answered.body).toBe(200);
    expect((await search('q=Sperrgutabholung')).items.map((i) => i.slug)).not.toContain(producer.software.slug);
    expect((await search('q=Terminbuchung')).items.map((i) => i.slug)).toContain(producer.software.slug);
  });
});

describe('knowledge-transfer ranking signals', () => {
  it('a reuse in production the producer confirms raises the entry above its twin and is named in search.ranking', async () => {
    const twin = { name: 'Straßenlaternen Störungsmelder', shortDescription: { de: 'Defekte Laternen melden.' } };
    const confirmed = await publisherWithSoftware(hub.app, twin);
    const declared = await publisherWithSoftware(hub.app, twin);
    const reuseA = await reuseOf(confirmed.software.id);
    await reuseOf(declared.software.id);
    const before = (await search(`q=${encodeURIComponent('Laternen Störungsmelder')}`)).items;
    expect(before[0]!.search.score).toBe(before[1]!.search.score);

    const res = await hub.app.inject({
      method: 'POST',
      url: `/v1/software/${confirmed.software.id}/reuses/${reuseA.reuseId}/confirmation`,
      headers: bearer(confirmed.token),
      payload: {},
    });
    expect(res.statusCode, res.body).toBe(200);
    const after = (await search(`q=${encodeURIComponent('Laternen Störungsmelder')}`)).items;
    expect(after.map((i) => i.slug).slice(0, 2)).toEqual([confirmed.software.slug, declared.software.slug]);
    const [top, second] = after as [Hit, Hit];
    expect(top.search.score).toBeGreaterThan(second.search.score);
    expect(top.search.ranking.signals).toContainEqual({ signal: 'confirmedProductionReuses', value: 1, boost: expect.any(Number) });
    expect(second.search.ranking.signals.map((s) => s.signal)).toEqual(['reusesByOthers']);
    // The parts add up to the boost, and tier + boost is the score.
    const sum = top.search.ranking.signals.reduce((total, s) => total + s.boost, 0);
    expect(top.search.ranking.boost).toBeCloseTo(sum, 6);
    expect(top.search.score).toBeCloseTo(4 + top.search.ranking.boost, 6);
  });
});

describe('the transfer-package facet', () => {
  const setItem = (softwareId: string, token: string, kind: string) =>
    hub.app.inject({ method: 'PUT', url: `/v1/software/${softwareId}/transfer-package/${kind}`, headers: bearer(token), payload: { url: `https://example.org/${kind}.pdf` } });

  it('counts entries per completeness band, filters by bands, and follows item writes', async () => {
    const entry = { name: 'Bodenrichtwerte Auskunft', shortDescription: { de: 'Bodenrichtwerte abfragen.' } };
    const none = await publisherWithSoftware(hub.app, entry);
    const some = await publisherWithSoftware(hub.app, entry);
    const all = await publisherWithSoftware(hub.app, entry);
    expect((await setItem(some.software.id, some.token, 'installation-guide')).statusCode).toBe(200);
    const kinds = ['installation-guide', 'operations-manual', 'system-requirements', 'running-costs', 'procurement', 'cooperation-agreement',
      'data-protection', 'accessibility-statement', 'security-contact', 'training-material', 'reuse-contact'];
    for (const kind of kinds) expect((await setItem(all.software.id, all.token, kind)).statusCode, kind).toBe(200);

    const q = 'q=Bodenrichtwerte';
    expect((await search(`${q}&facets=true`)).facets!.transferPackage).toEqual([
      { value: 'complete', count: 1 },
      { value: 'none', count: 1 },
      { value: 'under-half', count: 1 },
    ]);
    const slugs = async (query: string) => (await search(query)).items.map((i) => i.slug).sort();
    expect(await slugs(`${q}&transferPackage=complete`)).toEqual([all.software.slug]);
    expect(await slugs(`${q}&transferPackage=under-half&transferPackage=none`)).toEqual([none.software.slug, some.software.slug].sort());
    // Without q too (the filter goes to the search document), with the other facets counted under it.
    const browse = await search(`transferPackage=complete&facets=true&organisation=${all.organisation.id}`);
    expect(browse.items.map((i) => i.slug)).toEqual([all.software.slug]);
    expect(browse.facets!.transferPackage).toEqual([{ value: 'complete', count: 1 }]);

    // Completeness ranks too: the complete package first among the three equal texts.
    const ranked = (await search(q)).items;
    expect(ranked[0]!.slug).toBe(all.software.slug);
    expect(ranked[0]!.search.ranking.signals).toContainEqual({ signal: 'transferCompleteness', value: 1, boost: 0.06 });

    // Removing items moves the entry to its new band in the same transaction.
    for (const kind of kinds.slice(0, 6)) {
      const res = await hub.app.inject({ method: 'DELETE', url: `/v1/software/${all.software.id}/transfer-package/${kind}`, headers: bearer(all.token) });
      expect(res.statusCode, res.body).toBe(204);
    }
    expect(await slugs(`${q}&transferPackage=half-or-more`)).toEqual([]);
    expect(await slugs(`${q}&transferPackage=under-half`)).toEqual([all.software.slug, some.software.slug].sort());
  });

  it('refuses a band it does not know (400)', async () => {
    const res = await hub.app.inject('/v1/software?transferPackage=half');
    expect(res.statusCode).toBe(400);
  });
});
