import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { federationRecords } from '../../src/db/schema';
import { createPeerClient, type PeerClient } from '../../src/domain/federation/peer-client';
import { startPeerNotifier } from '../../src/domain/federation/peer-notifier';
import { pullPeer } from '../../src/domain/federation/pull.service';
import { freePort } from '../helpers/postgres-cluster';
import { admin, createTestHub, type TestHub } from '../helpers/hub';
import { until } from '../helpers/worker-process';
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

  it('an idle pull is one signed request that A answers 304, and a change after it is still pulled', async () => {
    const aOnB = (await b.app.inject({ url: '/v1/federation/peers', headers: admin })).json().items.find((peer: { baseUrl: string }) => peer.baseUrl === aUrl).id as string;
    const keys = b.deps.hub.federationKeys!;
    const real = createPeerClient({ signingKey: { privateKey: keys.active.privateKey, keyid: keys.active.kid }, allowPrivateHosts: true });
    const answers: { path: string; status: number; ifNoneMatch: string | null }[] = [];
    const recording: PeerClient = {
      async get(target, path, options) {
        const answer = await real.get(target, path, options);
        answers.push({ path: path.split('?')[0], status: answer.status, ifNoneMatch: options?.ifNoneMatch ?? null });
        return answer;
      },
      close: () => real.close(),
    };
    try {
      // The first pull after the last applied page reads an empty page and keeps its ETag.
      await pullPeer(b.deps.hub, aOnB, { client: recording });
      answers.length = 0;
      expect(await pullPeer(b.deps.hub, aOnB, { client: recording })).toMatchObject({ pages: 1, stopped: null, counts: { applied: 0, skipped: 0, quarantined: 0 } });
      expect(answers).toEqual([{ path: '/federation/v1/changes', status: 304, ifNoneMatch: expect.stringMatching(/^".+"$/) }]);

      const org = await a.app.inject({ method: 'POST', url: '/v1/organisations', headers: admin, payload: { name: 'Markt Kipfenberg', kind: 'municipality', ags: '09176138' } });
      expect(org.statusCode, org.body).toBe(201);
      answers.length = 0;
      expect((await pullPeer(b.deps.hub, aOnB, { client: recording })).counts.applied).toBe(1);
      expect(answers[0]).toMatchObject({ path: '/federation/v1/changes', status: 200 });
    } finally {
      await real.close();
    }
  });

  it('a write on A reaches B through the API within seconds: A notifies B, B pulls at once', async () => {
    // The API entry starts it (src/server.ts); createTestHub does not, so the other tests pull by hand.
    const notifier = startPeerNotifier(a.deps.hub, { everyMs: 200 });
    try {
      const org = await a.app.inject({ method: 'POST', url: '/v1/organisations', headers: admin, payload: { name: 'Stadt Erlangen', kind: 'municipality', ags: '09562000' } });
      expect(org.statusCode, org.body).toBe(201);
      const slug = org.json().slug as string;
      // No pullPeer here: B's scheduled pull is minutes away, so only the notify brings it this soon.
      const seen = await until(() => b.app.inject(`/v1/organisations/${slug}`), (reply) => reply.statusCode === 200, 'the organisation on B', 20_000);
      expect(seen.json()).toMatchObject({ name: 'Stadt Erlangen' });
    } finally {
      await notifier.close();
    }
  });
});
