import type { LookupAddress } from 'node:dns';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitRemoteError } from '../../src/git/errors';
import { networkFailure } from '../../src/git/http-client';
import { registerRepository } from '../../src/domain/crawl/repositories.service';
import { assertPublicHost, isPrivateAddress } from '../../src/git/host-guard';
import { outboundFetch, publicOnlyDispatcher, refusalOf } from '../../src/git/outbound';
import { admin, createTestHub, type TestHub } from '../helpers/hub';
import type { InProcessQueue } from '../../src/jobs/in-process-queue';

/** The crawler must not be turned against the hub's own network (SSRF), however the address is reached. */
describe('crawler requests reach public addresses only', () => {
  let server: Server;
  let port: number;
  const hits: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      hits.push(req.url ?? '');
      res.end('internal');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => new Promise<void>((resolve) => server.close(() => resolve())));

  const refusal = async (request: Promise<unknown>) => {
    const error = await request.then(() => null, (e: unknown) => e);
    return refusalOf(error);
  };

  it('knows private, loopback, link-local and unique-local addresses', () => {
    for (const ip of ['10.1.2.3', '127.0.0.1', '169.254.169.254', '172.16.0.1', '192.168.1.1', '100.64.0.1', '0.0.0.0', '::1', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '64:ff9b::a00:1', '64:ff9b::10.0.0.1', '2002:c0a8:101::1', '::127.0.0.1', '::7f00:1', '::a00:1', '::ffff:0:7f00:1', '::', 'fec0::1']) {
      expect(isPrivateAddress(ip), ip).toBe(true);
    }
    // NAT64 and 6to4 reach public IPv4 hosts too (DNS64 networks): only their embedded address decides.
    for (const ip of ['93.184.216.34', '172.32.0.1', '2a00:1450:4001::1', '::ffff:8.8.8.8', '64:ff9b::8.8.8.8', '64:ff9b::808:808', '2002:808:808::1']) {
      expect(isPrivateAddress(ip), ip).toBe(false);
    }
  });

  it('refuses an address in the URL and a name that resolves to loopback, before any byte is sent', async () => {
    for (const url of [`http://127.0.0.1:${port}/info`, `http://localhost:${port}/info`, `http://[::ffff:127.0.0.1]:${port}/info`, `http://[::127.0.0.1]:${port}/info`]) {
      expect((await refusal(outboundFetch({ allowPrivateHosts: false }, url)))?.message, url).toMatch(/refused: .* private, loopback or link-local/);
    }
    expect(hits).toEqual([]);
    await expect(assertPublicHost(`http://localhost:${port}/`, false)).rejects.toThrow(GitRemoteError);
  });

  it('a host name without a DNS record is a temporary failure that says so in plain words', async () => {
    // .invalid never resolves (RFC 6761), online or offline: what an offline hub sees for github.com.
    const error = await assertPublicHost('https://repo.transferhub.invalid/stadt/app', false).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(GitRemoteError);
    expect((error as GitRemoteError).permanent).toBe(false);
    expect((error as GitRemoteError).message).toBe('the host name "repo.transferhub.invalid" could not be resolved (no DNS record: a typo, or the hub has no internet access)');
  });

  it('says the same when the guard is off (HUB_ALLOW_PRIVATE_HOSTS) and the connection itself finds no DNS record', async () => {
    const error = networkFailure(await outboundFetch({ allowPrivateHosts: true }, 'https://repo.transferhub.invalid/stadt/app').then(() => null, (e: unknown) => e));
    expect(error.permanent).toBe(false);
    expect(error.message).toBe('the host name "repo.transferhub.invalid" could not be resolved (no DNS record: a typo, or the hub has no internet access)');
  });

  it('checks the address each connection uses: a name that answered publicly before and privately now is refused', async () => {
    // DNS rebinding: the check before the request saw a public address; the connection would get loopback.
    let calls = 0;
    const resolve = (_host: string, _options: unknown, callback: (error: null, addresses: LookupAddress[]) => void) => {
      calls += 1;
      callback(null, [{ address: '127.0.0.1', family: 4 }]);
    };
    const error = await fetch(`http://repo.stadt.example:${port}/info`, { dispatcher: publicOnlyDispatcher(resolve) }).then(() => null, (e: unknown) => e);
    expect(refusalOf(error)?.message).toContain('"repo.stadt.example"');
    expect(calls).toBe(1);
    expect(hits).toEqual([]);
  });

  it('follows a redirect only to a public address', async () => {
    const redirecting = createServer((_req, res) => res.writeHead(302, { location: `http://127.0.0.1:${port}/secret` }).end());
    await new Promise<void>((resolve) => redirecting.listen(0, '127.0.0.1', resolve));
    const target = (redirecting.address() as AddressInfo).port;
    // Allowed hosts: the redirect is followed; the same request guarded is refused at the first hop already.
    expect(await (await outboundFetch({ allowPrivateHosts: true }, `http://127.0.0.1:${target}/`)).text()).toBe('internal');
    expect(hits).toEqual(['/secret']);
    expect(await refusal(outboundFetch({ allowPrivateHosts: false }, `http://127.0.0.1:${target}/`))).not.toBeNull();
    await new Promise<void>((resolve) => redirecting.close(() => resolve()));
  });

  it('registering a repository on a private address, literal or by name, is a 400 with a specific type, and nothing is stored or fetched', async () => {
    const hub: TestHub = await createTestHub({ HUB_ALLOW_PRIVATE_HOSTS: 'false' });
    const before = hits.length;
    try {
      const org = await hub.app.inject({ method: 'POST', url: '/v1/organisations', headers: admin, payload: { name: 'Innenstadt', kind: 'municipality' } });
      for (const url of [`http://localhost:${port}/stadt/intern`, `http://[::127.0.0.1]:${port}/stadt/intern`, `http://10.0.0.1/stadt/intern`]) {
        const registered = await hub.app.inject({ method: 'POST', url: '/v1/repositories', headers: admin, payload: { url, organisationId: org.json().id } });
        expect(registered.statusCode, url).toBe(400);
        expect(registered.json()).toMatchObject({
          type: 'https://transferhub.eu/problems/repository.host-refused',
          detail: expect.stringMatching(/private, loopback or link-local/),
          errors: [{ field: '/url' }],
        });
      }
      await (hub.deps.hub.queue as InProcessQueue).idle();
      expect((await hub.app.inject(`/v1/software?organisation=${org.json().id}`)).json().items).toEqual([]);
      expect(hits.length).toBe(before);
    } finally {
      await hub.close();
    }
  });

  it('a repository whose host turns private after registration is marked failed with the reason, without a request to it', async () => {
    const hub: TestHub = await createTestHub({ HUB_ALLOW_PRIVATE_HOSTS: 'false' });
    const before = hits.length;
    try {
      const org = await hub.app.inject({ method: 'POST', url: '/v1/organisations', headers: admin, payload: { name: 'Innenstadt', kind: 'municipality' } });
      // Registered while private hosts were allowed (as a DNS change after registration would do).
      const permissive = { ...hub.deps.hub, config: { ...hub.deps.hub.config, allowPrivateHosts: true } };
      const { repository } = await registerRepository(permissive, { kind: 'admin-env' }, { url: `http://localhost:${port}/stadt/intern`, organisationId: org.json().id });
      await (hub.deps.hub.queue as InProcessQueue).idle();
      const read = (await hub.app.inject(`/v1/repositories/${repository.id}`)).json();
      expect(read.crawl).toMatchObject({ state: 'failed', lastError: expect.stringMatching(/private, loopback or link-local/) });
      expect(hits.length).toBe(before);
    } finally {
      await hub.close();
    }
  });
});
