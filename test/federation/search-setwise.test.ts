import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client';
import { findCursor, findPeer } from '../../src/db/queries/federation-pull.queries';
import { applyPage, positionOf } from '../../src/domain/federation/apply-page.service';
import type { ChangeEntry } from '../../src/domain/federation/change-entry';
import { sized } from '../../src/domain/federation/page';
import { loadKeyRing } from '../../src/domain/federation/peer-keyring';
import { buildQueuedSearch } from '../../src/domain/search/queued-build';
import { searchDocumentsQueued } from '../../src/db/queries/search/pending.queries';
import { startFakePeer, type FakePeer } from '../helpers/fake-peer';
import { pinFakePeer } from '../helpers/federation-peer-row';
import { createTestHub, type TestHub } from '../helpers/hub';

/**
 * The search documents of a page applied set-wise (one multi-row upsert per type: the search
 * triggers run once per statement over the whole page) against the same entries applied one page
 * per entry (one row per statement). Hub `bulk` takes the catalogue as three pages, hub `perRow`
 * entry by entry; their documents, vocabulary and answers must be the same.
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

/** Two organisations in Bavaria, software of the first with German and English text, and a confirmed reuse by the second. */
function catalogue(peer: FakePeer) {
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

/** Everything search reads of these entries, and the whole vocabulary; of the provenance, the origin (received_at is when each arrived). */
async function searchState(hub: TestHub, ids: string[]) {
  const db = hub.deps.hub.db;
  const array = sql.raw(`ARRAY[${ids.map((id) => `'${id}'::uuid`).join(', ')}]`);
  return {
    documents: (await all(db, sql`SELECT * FROM software_search WHERE software_id = ANY(${array}) ORDER BY software_id`)).map(
      ({ received_at, ...document }): Record<string, unknown> => ({ ...document, received: received_at !== null }),
    ),
    texts: await all(db, sql`SELECT software_id, long_tsv::text AS long_tsv, readme_tsv::text AS readme_tsv FROM software_search_text WHERE software_id = ANY(${array}) ORDER BY software_id`),
    vocabulary: await all(db, sql`SELECT term, display, doc_count FROM search_term ORDER BY term`),
  };
}


describe('search documents of a page applied set-wise', () => {
  it('are the documents, vocabulary and answers of the same entries applied one by one', async () => {
    const { peer, peerIds } = await peerOn([bulk, perRow]);
    const { organisations, software, reuse } = catalogue(peer);
    const ids = idsOf(software);

    // Three pages (as a snapshot sends them, type by type), each written with one upsert per type.
    await apply(bulk, peerIds[0]!, organisations, true);
    await apply(bulk, peerIds[0]!, software, true);
    await apply(bulk, peerIds[0]!, [reuse], true);
    // A change of a queued entry before its document is built: the build reads it as it is then.
    const renamed = peer.publish({ type: 'software', uuid: ids[1]!, version: 2, record: { ...(software[1]!.record as Record<string, unknown>), name: 'Straßenschäden und Schlaglöcher melden' } });
    await apply(bulk, peerIds[0]!, [renamed], false);
    for (const entry of [...organisations, ...software, reuse, renamed]) await apply(perRow, peerIds[1]!, [entry], false);

    // A snapshot's documents wait in the queue (migration 0024) until a builder takes them.
    expect((await searchState(bulk, ids)).documents).toHaveLength(0);
    expect(await buildQueuedSearch(bulk.deps.hub.db, { workers: 2 })).toEqual({ built: software.length, stopped: false });
    expect(await searchDocumentsQueued(bulk.deps.hub.db)).toBe(false);

    const [built, written] = await Promise.all([searchState(bulk, ids), searchState(perRow, ids)]);
    expect(built.documents).toHaveLength(software.length);
    expect(built.documents.find((document) => document.software_id === ids[0])).toMatchObject({ reuse_count: 1, confirmed_reuse_count: 1, confirmed_production_count: 1 });
    expect(built.vocabulary.length).toBeGreaterThan(10);
    expect(built).toEqual(written);

    for (const query of ['q=Anträge', 'q=Brücke', 'q=Schlaglöcher', 'q=council&facets=true', 'facets=true', 'q=ueberblick', 'q=Buerger&facets=true']) {
      const answers = await Promise.all([bulk, perRow].map(async (hub) => (await hub.app.inject(`/v1/software?${query}`)).json()));
      const shape = (answer: { items: { slug: string }[]; facets?: unknown; total?: number }) => ({ slugs: answer.items.map((item) => item.slug), facets: answer.facets, total: answer.total });
      expect(answers[0].items.length, query).toBeGreaterThan(0);
      expect(shape(answers[0]), query).toEqual(shape(answers[1]));
    }
  });
});
