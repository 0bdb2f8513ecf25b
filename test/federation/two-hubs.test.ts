import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { federationRecords } from '../../src/db/schema';
import { pullPeer } from '../../src/domain/federation/pull.service';
import { freePort } from '../helpers/postgres-cluster';
import { admin, createTestHub, type TestHub } from '../helpers/hub';
import { pinPeer } from '../helpers/pin-peer';

/**
 * Two real hubs on loopback, each with its own database and keys: A serves its catalogue, B pins
 * A through the admin API and pulls it. B then shows A's software, marked as coming from A.
 */
describe('two hubs: B pulls A', () => {
  let a: TestHub;
  let b: TestHub;
  let aUrl: string;
  let bUrl: string;

  beforeAll(async () => {
    const [aPort, bPort] = [await freePort(), await freePort()];
    aUrl = `http://127.0.0.1:${aPort}`;
    bUrl = `http://127.0.0.1:${bPort}`;
    a = await createTestHub({ HUB_FEDERATION: 'true', HUB_PUBLIC_URL: aUrl });
    b = await createTestHub({ HUB_FEDERATION: 'true', HUB_PUBLIC_URL: bUrl });
    await a.app.listen({ port: aPort, host: '127.0.0.1' });
    await b.app.listen({ port: bPort, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it("B shows A's organisation and software after a pull, with A as their origin", async () => {
    await pinPeer(a, bUrl);
    const aOnB = await pinPeer(b, aUrl);
    const scope = await b.app.inject({ method: 'PATCH', url: `/v1/federation/peers/${aOnB}`, headers: admin, payload: { authorityScope: { officialKeyPrefixes: ['09'], organisationIds: [] } } });
    expect(scope.statusCode, scope.body).toBe(200);

    const org = await a.app.inject({ method: 'POST', url: '/v1/organisations', headers: admin, payload: { name: 'Stadt Bamberg', kind: 'municipality', ags: '09461000' } });
    expect(org.statusCode, org.body).toBe(201);
    const software = await a.app.inject({ method: 'POST', url: '/v1/software', headers: admin, payload: { name: 'Bürgerportal Bamberg', organisationId: org.json().id } });
    expect(software.statusCode, software.body).toBe(201);
    const slug = software.json().slug as string;

    const outcome = await pullPeer(b.deps.hub, aOnB);
    expect(outcome).toMatchObject({ stopped: null, counts: { quarantined: 0 } });
    const onB = await b.app.inject(`/v1/software/${slug}`);
    expect(onB.statusCode, onB.body).toBe(200);
    expect(onB.json()).toMatchObject({ name: 'Bürgerportal Bamberg', organisation: { name: 'Stadt Bamberg' } });
    const [record] = await b.deps.hub.db.select().from(federationRecords).where(eq(federationRecords.recordId, software.json().id));
    expect(record).toMatchObject({ originHub: aUrl, receivedFrom: aUrl, status: 'active', globalId: `${aUrl}/id/software/${software.json().id}` });

    // A change on A follows on the next pull; an idle pull applies nothing.
    const renamed = await a.app.inject({ method: 'PATCH', url: `/v1/software/${software.json().id}`, headers: admin, payload: { name: 'Bürgerportal Bamberg 2' } });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect((await pullPeer(b.deps.hub, aOnB)).counts.applied).toBe(1);
    expect((await b.app.inject(`/v1/software/${slug}`)).json().name).toBe('Bürgerportal Bamberg 2');
    expect((await pullPeer(b.deps.hub, aOnB)).counts).toEqual({ applied: 0, skipped: 0, quarantined: 0 });
  });
});
