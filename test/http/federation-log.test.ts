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
});
