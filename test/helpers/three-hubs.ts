import { eq } from 'drizzle-orm';
import { expect } from 'vitest';
import { federationRecords } from '../../src/db/schema';
import { freePort } from './postgres-cluster';
import { admin, createTestHub, type TestHub } from './hub';
import { pinPeer } from './pin-peer';

type Name = 'a' | 'b' | 'c';

/**
 * Three real hubs on loopback, each with its own database and keys (design: "How to test it"):
 * B pulls A; C pulls B and lets B relay A's records (C knows A's key, but does not pull A); A pulls
 * C, which closes the loop A → B → C → A. The containers are filled by `start` (a beforeAll);
 * pulls are made by the tests, by hand, so each step is one pull.
 */
export function threeHubs() {
  const hubs = {} as Record<Name, TestHub>;
  const url = {} as Record<Name, string>;
  const peer = { aOnB: '', bOnC: '', aOnC: '', cOnA: '' };

  async function start() {
    for (const name of ['a', 'b', 'c'] as const) {
      const port = await freePort();
      url[name] = `http://127.0.0.1:${port}`;
      hubs[name] = await createTestHub({ HUB_FEDERATION: 'true', HUB_PUBLIC_URL: url[name] });
      await hubs[name].app.listen({ port, host: '127.0.0.1' });
    }
    const { a, b, c } = hubs;
    const anyOrganisation = { authorityScope: { officialKeyPrefixes: [], organisationIds: [], anyOrganisation: true } };
    const settings = async (on: TestHub, id: string, payload: Record<string, unknown>) => {
      const reply = await on.app.inject({ method: 'PATCH', url: `/v1/federation/peers/${id}`, headers: admin, payload });
      expect(reply.statusCode, reply.body).toBe(200);
    };
    // Whoever pulls signs its requests and checks the answers: both sides of each pair pin each other.
    await pinPeer(a, url.b);
    await pinPeer(b, url.c);
    peer.aOnB = await pinPeer(b, url.a);
    await settings(b, peer.aOnB, anyOrganisation);
    peer.bOnC = await pinPeer(c, url.b);
    await settings(c, peer.bOnC, { ...anyOrganisation, relayOrigins: [url.a] });
    // C knows A's key (A pulls C, and the proofs of relayed records need it) but never pulls A itself.
    peer.aOnC = await pinPeer(c, url.a);
    await settings(c, peer.aOnC, { ...anyOrganisation, pullEnabled: false });
    peer.cOnA = await pinPeer(a, url.c);
    await settings(a, peer.cOnA, anyOrganisation);
  }

  async function close() {
    for (const hub of Object.values(hubs)) await hub?.close();
  }

  /** A new organisation on A (its official key `ags`) and a software entry of it named `name`. */
  async function createOnA(name: string, ags: string) {
    const org = await hubs.a.app.inject({ method: 'POST', url: '/v1/organisations', headers: admin, payload: { name: `Gemeinde ${name}`, kind: 'municipality', ags } });
    expect(org.statusCode, org.body).toBe(201);
    const software = await hubs.a.app.inject({ method: 'POST', url: '/v1/software', headers: admin, payload: { name, organisationId: org.json().id } });
    expect(software.statusCode, software.body).toBe(201);
    return software.json() as { id: string; slug: string };
  }

  /** The federation_record row a hub holds for a record id, if any. */
  const record = async (on: TestHub, id: string) => (await on.deps.hub.db.select().from(federationRecords).where(eq(federationRecords.recordId, id)))[0];

  return { hubs, url, peer, start, close, createOnA, record };
}
