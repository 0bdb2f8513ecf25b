import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client';
import { findCursor, findPeer } from '../../src/db/queries/federation-pull.queries';
import { applyPage, positionOf } from '../../src/domain/federation/apply-page.service';
import type { ChangeEntry } from '../../src/domain/federation/change-entry';
import { sized } from '../../src/domain/federation/page';
import { loadKeyRing } from '../../src/domain/federation/peer-keyring';
import { pullPeer } from '../../src/domain/federation/pull.service';
import { drainSearchBacklog } from '../../src/domain/search/search-backlog';
import { startFakePeer, type FakePeer } from '../helpers/fake-peer';
import { pinFakePeer } from '../helpers/federation-peer-row';
import { createTestHub, type TestHub } from '../helpers/hub';

/**
 * Snapshot pages defer the search documents of their new software (migration 0019_search_deferred)
 * and th_search_flush builds them later. Hub `bulk` applies a peer's catalogue as snapshot pages,
 * hub `perRow` the same entries one page per entry through the change feed path, where the insert
 * trigger builds each document at once. Their search documents, vocabulary and answers must be
 * the same.
 */
let bulk: TestHub;
let perRow: TestHub;
const peers: FakePeer[] = [];
let keyCounter = 700;

beforeAll(async () => {
  [bulk, perRow] = await Promise.all([
    createTestHub({ HUB_FEDERATION: 'true', HUB_PUBLIC_URL: 'https://hub-bulk.example' }),
    createTestHub({ HUB_FEDERATION: 'true', HUB_PUBLIC_URL: 'https://hub-per-row.example' }),
  ]);
});
afterAll(async () => {
  await Promise.all(peers.map((peer) => peer.close()));
  await Promise.all([bulk?.close(), perRow?.close()]);
});

async function peerOn(hubs: TestHub[]) {
  const peer = await startFakePeer({ pageSize: 100 });
  peers.push(peer);
  const pinned = await Promise.all(hubs.map((hub) => pinFakePeer(hub.deps.hub, peer)));
  return { peer, peerIds: pinned };
}

async function apply(hub: TestHub, peerId: string, entries: ChangeEntry[], snapshot: boolean) {
  const db = hub.deps.hub.db;
  const row = (await findPeer(db, peerId))!;
  const result = await applyPage(db, {
    self: hub === bulk ? 'https://hub-bulk.example' : 'https://hub-per-row.example',
    peer: row,
    keys: await loadKeyRing(db, row),
    entries: sized(entries),
    expectedPosition: positionOf(await findCursor(db, peerId)),
    next: { cursor: null, logEpoch: null, highWaterMark: null, snapshot: null },
    snapshot,
  });
  expect(result).toMatchObject({ outcome: 'applied', counts: { quarantined: 0 } });
}

/**
 * Two organisations in Bavaria, software of the first with German and English text, and a
 * confirmed reuse by the second (not for a pull: the fake peer's snapshot orders all types by id,
 * so a reuse would come before its software).
 */
function catalogue(peer: FakePeer, options: { reuse: boolean } = { reuse: true }) {
  const producer = randomUUID();
  const reuser = randomUUID();
  const orgId = (uuid: string) => `${peer.hubId}/id/organisation/${uuid}`;
  const organisations = [producer, reuser].map((uuid, i) => {
    keyCounter += 1;
    return peer.publish({ type: 'organisation', uuid, version: 1, record: { slug: `markt-${uuid.slice(0, 8)}`, name: i === 0 ? 'Markt Schöllkrippen' : 'Stadt Fürth', kind: 'municipality', officialKey: `09${keyCounter}000`, state: 'Bayern' } });
  });
  const texts = [
    { name: 'Bürgerportal Anträge', de: 'Online-Anträge für Bürgerinnen und Bürger', en: 'Online applications for citizens', readme: '# Bürgerportal\n\nFormulare, Gebühren und Zahlungen; Anbindung an das Ratsinformationssystem.', features: ['Formulare', 'Bezahlung'], categories: ['e-government'], licence: 'EUPL-1.2 OR MIT' },
    { name: 'Straßenschäden melden', de: 'Mängelmelder für Straßen, Brücken und Grünanlagen', en: null, readme: null, features: ['Karte'], categories: ['infrastructure', 'maps'], licence: 'AGPL-3.0-or-later' },
    { name: 'Ratsinformationssystem Äöü', de: null, en: 'Council information with minutes and agendas', readme: 'Sitzungen, Tagesordnungen und Beschlüsse (Ueberblick).', features: [], categories: ['e-government'], licence: null },
    { name: 'Unlisted Werkzeug', de: 'Intern', en: null, readme: null, features: [], categories: [], licence: 'MIT', listed: false },
  ];
  const software = texts.map((text) =>
    peer.publish({
      type: 'software',
      uuid: randomUUID(),
      version: 1,
      record: {
        slug: `app-${randomUUID().slice(0, 8)}`,
        name: text.name,
        organisation: orgId(producer),
        shortDescription: { de: text.de, en: text.en },
        longDescription: { de: text.de ? `${text.de}. Betrieb im Rechenzentrum der Kommune.` : null, en: text.en },
        categories: text.categories,
        features: text.features,
        licence: text.licence,
        developmentStatus: 'stable',
        maintenanceType: 'internal',
        readmeMarkdown: text.readme,
        listed: text.listed ?? true,
      },
    }),
  );
  if (!options.reuse) return { organisations, software, reuse: null };
  const reuse = peer.publish({
    type: 'reuse',
    uuid: randomUUID(),
    version: 1,
    record: { software: software[0]!.id, organisation: orgId(reuser), status: 'production', verification: 'confirmed', since: '2025-03-01' },
  });
  return { organisations, software, reuse };
}

const idsOf = (entries: ChangeEntry[]) => entries.map((entry) => entry.id.split('/').at(-1)!);

async function all(db: Db, query: ReturnType<typeof sql>) {
  return ((await db.execute(query)) as unknown as { rows: Record<string, unknown>[] }).rows;
}

/** Everything search reads of these entries, and the whole vocabulary. */
async function searchState(hub: TestHub, ids: string[]) {
  const db = hub.deps.hub.db;
  const array = sql.raw(`ARRAY[${ids.map((id) => `'${id}'::uuid`).join(', ')}]`);
  return {
    documents: await all(db, sql`SELECT * FROM software_search WHERE software_id = ANY(${array}) ORDER BY software_id`),
    texts: await all(db, sql`SELECT software_id, long_tsv::text AS long_tsv, readme_tsv::text AS readme_tsv FROM software_search_text WHERE software_id = ANY(${array}) ORDER BY software_id`),
    vocabulary: await all(db, sql`SELECT term, display, doc_count FROM search_term ORDER BY term`),
  };
}

async function pending(hub: TestHub, ids: string[]) {
  const array = sql.raw(`ARRAY[${ids.map((id) => `'${id}'::uuid`).join(', ')}]`);
  const [row] = await all(hub.deps.hub.db, sql`SELECT (SELECT count(*) FROM search_pending WHERE software_id = ANY(${array}))::int AS pending,
    (SELECT count(*) FROM software_search WHERE software_id = ANY(${array}))::int AS documents`);
  return row;
}

describe('search documents of snapshot pages', () => {
  it('are built after the page, and are the documents, vocabulary and answers of entries written one by one', async () => {
    const { peer, peerIds } = await peerOn([bulk, perRow]);
    const { organisations, software, reuse } = catalogue(peer);
    const ids = idsOf(software);

    await apply(bulk, peerIds[0]!, organisations, true);
    await apply(bulk, peerIds[0]!, software, true);
    await apply(bulk, peerIds[0]!, [reuse!], true);
    // Deferred: the entries are there, their documents are not, and the reuse counted nothing yet.
    expect(await pending(bulk, ids)).toEqual({ pending: software.length, documents: 0 });
    expect(await drainSearchBacklog(bulk.deps.hub.db)).toBe(software.length);
    expect(await pending(bulk, ids)).toEqual({ pending: 0, documents: software.length });

    for (const entry of [...organisations, ...software, reuse!]) await apply(perRow, peerIds[1]!, [entry], false);
    expect(await pending(perRow, ids)).toEqual({ pending: 0, documents: software.length });

    const [built, written] = await Promise.all([searchState(bulk, ids), searchState(perRow, ids)]);
    expect(built.documents.find((document) => document.software_id === ids[0])).toMatchObject({ reuse_count: 1, confirmed_reuse_count: 1, confirmed_production_count: 1 });
    expect(built.vocabulary.length).toBeGreaterThan(10);
    expect(built).toEqual(written);

    for (const query of ['q=Anträge', 'q=Brücke', 'q=council&facets=true', 'facets=true&licence=MIT', 'q=ueberblick', 'q=Buerger&facets=true']) {
      const answers = await Promise.all([bulk, perRow].map(async (hub) => (await hub.app.inject(`/v1/software?${query}`)).json()));
      const shape = (answer: { items: { slug: string }[]; facets?: unknown; total?: number }) => ({ slugs: answer.items.map((item) => item.slug), facets: answer.facets, total: answer.total });
      expect(answers[0].items.length + (query.includes('facets') ? 1 : 0), query).toBeGreaterThan(0);
      expect(shape(answers[0]), query).toEqual(shape(answers[1]));
    }
  });

  it('an update that arrives before the document is built counts its words once, as the update of a built one', async () => {
    const { peer, peerIds } = await peerOn([bulk, perRow]);
    const { organisations, software } = catalogue(peer);
    const target = software[1]!;
    const renamed = peer.publish({
      type: 'software',
      uuid: target.id.split('/').at(-1)!,
      version: 2,
      record: { ...target.record, name: 'Schlaglochmelder Zweirad', shortDescription: { de: 'Radwege und Schlaglöcher', en: 'Cycle lanes' } },
    });
    const ids = idsOf(software);

    await apply(bulk, peerIds[0]!, organisations, true);
    await apply(bulk, peerIds[0]!, software, true);
    await apply(bulk, peerIds[0]!, [renamed], false);
    expect(await pending(bulk, ids)).toMatchObject({ pending: software.length });
    await drainSearchBacklog(bulk.deps.hub.db);

    for (const entry of [...organisations, ...software, renamed]) await apply(perRow, peerIds[1]!, [entry], false);

    const [built, written] = await Promise.all([searchState(bulk, ids), searchState(perRow, ids)]);
    expect(built.vocabulary.find((row) => row.term === 'schlaglochmelder')).toMatchObject({ doc_count: 1 });
    expect(built).toEqual(written);
  });

  it('a pull that bootstraps by snapshot ends with every document built: the software is found at once', async () => {
    const { peer, peerIds } = await peerOn([bulk]);
    const { software } = catalogue(peer, { reuse: false });
    const outcome = await pullPeer(bulk.deps.hub, peerIds[0]!);
    expect(outcome).toMatchObject({ stopped: null, counts: { quarantined: 0 } });
    expect(await pending(bulk, idsOf(software))).toEqual({ pending: 0, documents: software.length });
    const found = (await bulk.app.inject(`/v1/software?q=Straßenschäden&origin=${encodeURIComponent(peer.hubId)}`)).json();
    expect(found.items.map((item: { id: string }) => item.id)).toEqual([idsOf(software)[1]]);
  });
});
