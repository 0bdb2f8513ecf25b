import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, createTestHub, type TestHub } from '../helpers/hub';

describe('change-log triggers (schema smoke)', () => {
  let on: TestHub;
  let off: TestHub;
  beforeAll(async () => {
    on = await createTestHub({ HUB_FEDERATION: 'true', HUB_PUBLIC_URL: 'https://hub-a.example' });
    off = await createTestHub();
  });
  afterAll(async () => {
    await on.close();
    await off.close();
  });

  const rows = async (hub: TestHub) =>
    ((await hub.deps.hub.db.execute(sql`SELECT seq, type, id, origin_version, op, entry FROM federation_changelog ORDER BY seq`)) as unknown as { rows: Record<string, unknown>[] }).rows;

  it('a write on a federating hub appends one entry; a hub without federation appends none', async () => {
    for (const hub of [on, off]) {
      const created = await hub.app.inject({ method: 'POST', url: '/v1/organisations', headers: admin, payload: { name: 'Stadt Ansbach', kind: 'municipality' } });
      expect(created.statusCode).toBe(201);
    }
    const logged = await rows(on);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ type: 'organisation', op: 'upsert' });
    expect(await rows(off)).toHaveLength(0);
  });

  // The applier (pulling side) writes the record row and its federation_record row; this fixture
  // does what it does, in one transaction, with SQL.
  it('a mirrored record is relayed as received, and a local edit of it is refused naming its origin hub', async () => {
    const created = await on.app.inject({ method: 'POST', url: '/v1/organisations', headers: admin, payload: { name: 'Landkreis Bamberg', kind: 'county' } });
    const id = created.json().id as string;
    const origin = 'https://hub-by.example';
    const entry = { op: 'upsert', type: 'organisation', id: `${origin}/id/organisation/${id}`, origin, originVersion: 7, originUpdatedAt: '2026-12-01T05:00:00.000Z', schema: 'transferhub.organisation/1', record: { name: 'Landkreis Bamberg' }, via: [origin], proof: { type: 'DataIntegrityProof' } };
    const before = (await rows(on)).length;
    await on.deps.hub.db.transaction(async (tx) => {
      await tx.execute(sql`INSERT INTO federation_record (type, record_id, global_id, origin_hub, origin_version, origin_updated_at, received_from, received_at, via, content_digest, origin_proof, entry)
        VALUES ('organisation', ${id}, ${entry.id}, ${origin}, 7, now(), ${origin}, now(), ${JSON.stringify([origin])}::jsonb, 'x', ${JSON.stringify(entry.proof)}::jsonb, ${JSON.stringify(entry)}::jsonb)
        ON CONFLICT (type, record_id) DO UPDATE SET global_id = EXCLUDED.global_id, origin_hub = EXCLUDED.origin_hub, origin_version = EXCLUDED.origin_version, entry = EXCLUDED.entry`);
      await tx.execute(sql`UPDATE organisation SET website = 'https://www.landkreis-bamberg.de' WHERE id = ${id}`);
    });
    const appended = (await rows(on)).slice(before);
    expect(appended).toHaveLength(1);
    expect(appended[0]).toMatchObject({ id: entry.id, op: 'upsert', entry: { origin, originVersion: 7, via: [origin], proof: entry.proof } });

    const edit = await on.app.inject({ method: 'PATCH', url: `/v1/organisations/${id}`, headers: admin, payload: { website: 'https://example.org' } });
    expect(edit.statusCode).toBe(409);
    expect(edit.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(edit.json().type).toContain('federation.record_not_local');
    expect(edit.json().detail).toContain(origin);
  });
});
