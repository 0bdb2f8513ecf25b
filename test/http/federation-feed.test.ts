import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signRequest, verifyResponse } from '../../src/domain/federation/http-signatures';
import { verifyRecord } from '../../src/domain/federation/proof';
import { freePort } from '../helpers/postgres-cluster';
import { admin, createTestHub, type TestHub } from '../helpers/hub';

const A_URL = 'https://hub-a.example';
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('federation feed served to a pinned peer', () => {
  let a: TestHub;
  let b: TestHub;
  let bUrl: string;
  let peerId: string;
  let orgId: string;

  beforeAll(async () => {
    const port = await freePort();
    bUrl = `http://127.0.0.1:${port}`;
    b = await createTestHub({ HUB_FEDERATION: 'true', HUB_PUBLIC_URL: bUrl });
    await b.app.listen({ port, host: '127.0.0.1' });
    a = await createTestHub({ HUB_FEDERATION: 'true', HUB_PUBLIC_URL: A_URL });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  const bKey = () => ({ privateKey: b.deps.hub.federationKeys!.active.privateKey, keyid: b.deps.hub.federationKeys!.active.kid });

  async function signedGet(path: string, options: { headers?: Record<string, string>; key?: ReturnType<typeof bKey>; now?: number } = {}) {
    const signature = signRequest({ method: 'GET', targetUri: `${A_URL}${path}`, headers: {} }, { key: options.key ?? bKey(), now: options.now });
    return a.app.inject({ method: 'GET', url: path, headers: { ...signature, ...options.headers } });
  }

  function signedNotify(body: Json) {
    const text = JSON.stringify(body);
    const signature = signRequest({ method: 'POST', targetUri: `${A_URL}/federation/v1/notify`, headers: {}, body: text }, { key: bKey() });
    return { method: 'POST' as const, url: '/federation/v1/notify', headers: { ...signature, 'content-type': 'application/json' }, payload: text };
  }

  it('an admin previews a peer by its base URL, compares the thumbprint and pins it', async () => {
    const preview = await a.app.inject({ method: 'POST', url: '/v1/federation/peers', headers: admin, payload: { baseUrl: bUrl } });
    expect(preview.statusCode).toBe(200);
    expect(preview.json()).toMatchObject({ stored: false, peer: { hubId: bUrl, keys: [{ thumbprint: bKey().keyid }] } });
    expect((await a.app.inject({ url: '/v1/federation/peers', headers: admin })).json().items).toEqual([]);

    const wrong = await a.app.inject({ method: 'POST', url: '/v1/federation/peers', headers: admin, payload: { baseUrl: bUrl, pin: ['x'.repeat(43)] } });
    expect(wrong.statusCode).toBe(409);
    expect(wrong.json().type).toContain('federation.thumbprint_mismatch');

    const pinned = await a.app.inject({ method: 'POST', url: '/v1/federation/peers', headers: admin, payload: { baseUrl: bUrl, pin: [bKey().keyid] } });
    expect(pinned.statusCode).toBe(201);
    expect(pinned.json().peer).toMatchObject({ hubId: bUrl, status: 'active', keys: [{ kid: bKey().keyid, status: 'pinned' }] });
    peerId = pinned.json().peer.id;
  });

  it('an unsigned, forged or stale request for changes is refused with 401', async () => {
    const missing = (await a.app.inject('/federation/v1/changes')).json();
    expect(missing.type, JSON.stringify(missing)).toContain('signature.missing');
    const stranger = generateKeyPairSync('ed25519').privateKey;
    const forged = await signedGet('/federation/v1/changes', { key: { privateKey: stranger, keyid: bKey().keyid } });
    expect(forged.statusCode).toBe(401);
    expect(forged.json().type).toContain('signature.invalid');
    const unknown = await signedGet('/federation/v1/changes', { key: { privateKey: stranger, keyid: 'unknown-kid' } });
    expect(unknown.json().type).toContain('signature.unknown-key');
    const stale = await signedGet('/federation/v1/changes', { now: Math.floor(Date.now() / 1000) - 120 });
    expect(stale.statusCode).toBe(401);
    expect(stale.json().type).toContain('signature.clock-skew');
  });

  it('local writes appear in the change feed in order, each with an origin proof by the hub key, and the answer is signed for this request', async () => {
    const org = await a.app.inject({ method: 'POST', url: '/v1/organisations', headers: admin, payload: { name: 'Stadt Bamberg', kind: 'municipality', ags: '09461000' } });
    expect(org.statusCode, org.body).toBe(201);
    orgId = org.json().id;
    const sw = await a.app.inject({ method: 'POST', url: '/v1/software', headers: admin, payload: { name: 'Bürgerportal', organisationId: orgId } });
    expect(sw.statusCode, sw.body).toBe(201);
    await a.app.inject({ method: 'PATCH', url: `/v1/organisations/${orgId}`, headers: admin, payload: { website: 'https://www.stadt.bamberg.de' } });

    const response = await signedGet('/federation/v1/changes?limit=10');
    expect(response.statusCode).toBe(200);
    const page = response.json() as Json;
    expect(page.entries.map((entry: Json) => [entry.type, entry.originVersion])).toEqual([['organisation', 1], ['software', 1], ['organisation', 2]]);
    expect(page.entries.map((entry: Json) => entry.seq)).toEqual([...page.entries.map((entry: Json) => entry.seq)].sort((x, y) => x - y));
    const [first, second] = page.entries as Json[];
    expect(first).toMatchObject({ op: 'upsert', id: `${A_URL}/id/organisation/${orgId}`, origin: A_URL, via: [], record: { name: 'Stadt Bamberg', officialKey: '09461000' } });
    expect(second!.record.organisation).toBe(first!.id);
    const aKey = a.deps.hub.federationKeys!.active.publicKey;
    for (const entry of page.entries) expect(verifyRecord(entry, aKey)).toBe(true);
    expect(verifyRecord({ ...first, record: { ...first!.record, name: 'Stadt Bayreuth' } }, aKey)).toBe(false);
    expect(page).toMatchObject({ hasMore: false, highWaterMark: page.entries[2].seq });

    const keyFor = (kid: string) => a.deps.hub.federationKeys!.publicKeyFor(kid);
    const asReceived = { status: response.statusCode, headers: response.headers as Record<string, string>, body: response.body };
    expect(verifyResponse(asReceived, { method: 'GET', targetUri: `${A_URL}/federation/v1/changes?limit=10`, headers: {} }, { keyFor })).toMatchObject({ ok: true });
    expect(verifyResponse(asReceived, { method: 'GET', targetUri: `${A_URL}/federation/v1/changes?limit=11`, headers: {} }, { keyFor })).toMatchObject({ ok: false });
  });

  it('a peer at the head with the last ETag gets 304 until something changes, and then the new entry only', async () => {
    const head = (await signedGet('/federation/v1/changes?limit=10')).json() as Json;
    const path = `/federation/v1/changes?limit=10&since=${head.next}`;
    const first = await signedGet(path);
    expect(first.json().entries).toEqual([]);
    const idle = await signedGet(path, { headers: { 'if-none-match': first.headers.etag as string } });
    expect(idle.statusCode).toBe(304);
    expect(idle.body).toBe('');
    await a.app.inject({ method: 'PATCH', url: `/v1/organisations/${orgId}`, headers: admin, payload: { website: 'https://bamberg.de' } });
    const moved = await signedGet(path, { headers: { 'if-none-match': first.headers.etag as string } });
    expect(moved.statusCode).toBe(200);
    expect(moved.json().entries.map((entry: Json) => [entry.type, entry.originVersion, entry.record.website])).toEqual([['organisation', 3, 'https://bamberg.de']]);
  });

  it('a write that changes nothing exported appends nothing', async () => {
    const before = (await signedGet('/federation/v1/changes?limit=1000')).json().highWaterMark;
    await a.app.inject({ method: 'PATCH', url: `/v1/organisations/${orgId}`, headers: admin, payload: { website: 'https://bamberg.de' } });
    expect((await signedGet('/federation/v1/changes?limit=1000')).json().highWaterMark).toBe(before);
  });

  it('a cursor of another log epoch or a malformed one is refused (410, 400)', async () => {
    const foreign = Buffer.from('1:00000000-0000-4000-8000-000000000000:1').toString('base64url');
    const expired = await signedGet(`/federation/v1/changes?since=${foreign}`);
    expect(expired.statusCode).toBe(410);
    expect(expired.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(expired.json().type).toContain('federation.cursor_expired');
    expect((await signedGet('/federation/v1/changes?since=garbage!')).statusCode).toBe(400);
  });

  it('records/{type}/{uuid} answers the entry with its version as ETag, and 410 with the tombstone once deleted', async () => {
    const sw = await a.app.inject({ method: 'POST', url: '/v1/software', headers: admin, payload: { name: 'Mängelmelder', organisationId: orgId } });
    const id = sw.json().id;
    const current = await signedGet(`/federation/v1/records/software/${id}`);
    expect(current.statusCode).toBe(200);
    expect(current.headers.etag).toBe('"1"');
    expect((await signedGet(`/federation/v1/records/software/${id}`, { headers: { 'if-none-match': '"1"' } })).statusCode).toBe(304);
    expect((await a.app.inject({ method: 'DELETE', url: `/v1/software/${id}`, headers: admin })).statusCode).toBeLessThan(300);
    const gone = await signedGet(`/federation/v1/records/software/${id}`);
    expect(gone.statusCode).toBe(410);
    expect(gone.json()).toMatchObject({ op: 'delete', originVersion: 2, id: `${A_URL}/id/software/${id}` });
    expect(verifyRecord(gone.json(), a.deps.hub.federationKeys!.active.publicKey)).toBe(true);
    expect((await signedGet(`/federation/v1/records/software/00000000-0000-4000-8000-000000000000`)).statusCode).toBe(404);
  });

  it('the snapshot pages every current record by keyset with asOf fixed at page one', async () => {
    const zapfendorf = (await a.app.inject({ method: 'POST', url: '/v1/organisations', headers: admin, payload: { name: 'Markt Zapfendorf', kind: 'municipality' } })).json().id as string;
    const first = (await signedGet('/federation/v1/snapshot?type=organisation&limit=1')).json() as Json;
    expect(first.entries).toHaveLength(1);
    expect(first.hasMore).toBe(true);
    await a.app.inject({ method: 'POST', url: '/v1/organisations', headers: admin, payload: { name: 'Gemeinde Litzendorf', kind: 'municipality' } });
    const ids = [...first.entries.map((entry: Json) => entry.id)];
    let next = first.next as string | null;
    while (next) {
      const page = (await signedGet(`/federation/v1/snapshot?type=organisation&limit=1&after=${next}`)).json() as Json;
      expect(page.asOf).toBe(first.asOf);
      ids.push(...page.entries.map((entry: Json) => entry.id));
      next = page.next;
    }
    expect(new Set(ids).size).toBe(ids.length);
    // Every record that existed at asOf is paged; one created later may sort before the keyset
    // position (random uuids) and arrives through the changes from asOf instead.
    expect(ids.some((id: string) => id.endsWith(`/${zapfendorf}`))).toBe(true);
    expect(ids.length).toBeGreaterThanOrEqual(2);
    const later = (await signedGet(`/federation/v1/changes?since=${first.asOf}`)).json() as Json;
    expect(later.entries.map((entry: Json) => entry.record?.name)).toContain('Gemeinde Litzendorf');
  });

  it('a signed notify queues one pull of that peer; a replayed nonce and a notify naming another hub are refused', async () => {
    const request = signedNotify({ hub: bUrl, highWaterMark: 5 });
    const accepted = await a.app.inject(request);
    expect(accepted.statusCode).toBe(202);
    expect(accepted.json()).toMatchObject({ queued: true });
    const replay = await a.app.inject(request);
    expect(replay.statusCode).toBe(401);
    expect(replay.json().type).toContain('signature.nonce');
    const other = await a.app.inject(signedNotify({ hub: 'https://elsewhere.example', highWaterMark: 5 }));
    expect(other.statusCode).toBe(403);
    const tampered = { ...signedNotify({ hub: bUrl, highWaterMark: 5 }) };
    tampered.payload = JSON.stringify({ hub: bUrl, highWaterMark: 6 });
    expect((await a.app.inject(tampered)).json().type).toContain('signature.content-digest');
  });

  it('a paused peer is still served, a revoked one is refused at once', async () => {
    expect((await a.app.inject({ method: 'POST', url: `/v1/federation/peers/${peerId}/pause`, headers: admin })).json().status).toBe('paused');
    expect((await signedGet('/federation/v1/changes')).statusCode).toBe(200);
    expect((await a.app.inject({ method: 'POST', url: `/v1/federation/peers/${peerId}/resume`, headers: admin })).json().status).toBe('active');
    const scoped = await a.app.inject({ method: 'PATCH', url: `/v1/federation/peers/${peerId}`, headers: admin, payload: { relayOrigins: ['https://hub-c.example/'], authorityScope: { officialKeyPrefixes: ['09'], organisationIds: [] } } });
    expect(scoped.json()).toMatchObject({ relayOrigins: ['https://hub-c.example'], authorityScope: { officialKeyPrefixes: ['09'] } });
    expect((await a.app.inject({ method: 'POST', url: `/v1/federation/peers/${peerId}/revoke`, headers: admin })).json().status).toBe('revoked');
    const refused = await signedGet('/federation/v1/changes');
    expect(refused.statusCode).toBe(401);
    expect(refused.json().type).toContain('signature.peer-revoked');
  });

  it('an organisation token cannot administer peers', async () => {
    const org = await a.app.inject({ method: 'POST', url: `/v1/organisations/${orgId}/tokens`, headers: admin, payload: { scopes: ['publish'], label: 't' } });
    const response = await a.app.inject({ url: '/v1/federation/peers', headers: { authorization: `Bearer ${org.json().token}` } });
    expect(response.statusCode).toBe(403);
    void createPublicKey;
  });
});
