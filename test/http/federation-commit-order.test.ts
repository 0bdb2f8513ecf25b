import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, createTestHub, onPglite, type TestHub } from '../helpers/hub';

/**
 * The late-commit race (design: The change log): a transaction that wrote first but commits last
 * must not get a seq below one a peer has already read past. PGlite has one connection, so two
 * concurrent transactions exist only on PostgreSQL.
 */
describe.skipIf(onPglite)('change-log sequence equals commit order', () => {
  let hub: TestHub;
  const clients: pg.Client[] = [];
  beforeAll(async () => {
    hub = await createTestHub({ HUB_FEDERATION: 'true', HUB_PUBLIC_URL: 'https://hub-a.example' });
  });
  afterAll(async () => {
    for (const client of clients) await client.end().catch(() => {});
    await hub?.close();
  });

  async function connect() {
    const client = new pg.Client({ connectionString: hub.deps.hub.config.databaseUrl! });
    await client.connect();
    clients.push(client);
    return client;
  }

  it('a transaction that writes first and commits last is appended after the one that committed first, so a reader in between misses nothing', async () => {
    const ids: string[] = [];
    for (const name of ['Stadt Erlangen', 'Stadt Fürth']) {
      ids.push((await hub.app.inject({ method: 'POST', url: '/v1/organisations', headers: admin, payload: { name, kind: 'municipality' } })).json().id);
    }
    const [early, late, reader] = [await connect(), await connect(), await connect()];
    await early.query('BEGIN');
    await early.query(`UPDATE organisation SET website = 'https://erlangen.de' WHERE id = $1`, [ids[0]]);
    await late.query('BEGIN');
    await late.query(`UPDATE organisation SET website = 'https://fuerth.de' WHERE id = $1`, [ids[1]]);
    await late.query('COMMIT');

    // A peer pulls now: everything up to the high-water mark, then it keeps its cursor there.
    const { rows: seen } = await reader.query<{ seq: string; website: string }>(
      `SELECT seq, entry->'record'->>'website' AS website FROM federation_changelog ORDER BY seq`);
    const cursor = Math.max(...seen.map((row) => Number(row.seq)));
    expect(seen.map((row) => row.website)).toContain('https://fuerth.de');
    expect(seen.map((row) => row.website)).not.toContain('https://erlangen.de');

    await early.query('COMMIT');
    const { rows: after } = await reader.query<{ website: string }>(
      `SELECT entry->'record'->>'website' AS website FROM federation_changelog WHERE seq > $1 ORDER BY seq`, [cursor]);
    expect(after.map((row) => row.website)).toEqual(['https://erlangen.de']);
  });
});
