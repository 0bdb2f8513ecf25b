import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { atomFeed, text, type AtomFeed } from '../helpers/atom-feed';
import { bearer, createTestHub, type TestHub } from '../helpers/hub';
import { createSoftware, expectProblem, publisherWithSoftware } from './fixtures';

let hub: TestHub;
let first: Awaited<ReturnType<typeof publisherWithSoftware>>;
let second: Awaited<ReturnType<typeof createSoftware>>;
let other: Awaited<ReturnType<typeof publisherWithSoftware>>;

async function pushRelease(token: string, softwareId: string, body: Record<string, unknown>) {
  const response = await hub.app.inject({ method: 'POST', url: `/v1/software/${softwareId}/releases`, headers: bearer(token), payload: body });
  expect(response.statusCode, response.body).toBe(201);
}

beforeAll(async () => {
  hub = await createTestHub();
  first = await publisherWithSoftware(hub.app, { name: 'Mängelmelder <Beta> & Co', repositoryUrl: 'https://git.example.org/stadt/maengelmelder' });
  second = await createSoftware(hub.app, first.token, { organisationId: first.organisation.id, name: 'Ratsinfo' });
  other = await publisherWithSoftware(hub.app, { name: 'Parkleitsystem' });
  await pushRelease(first.token, first.software.id, { version: '1.0.0', date: '2024-01-10', notes: 'Erste Version <script>alert(1)</script>' });
  await pushRelease(first.token, first.software.id, { version: '1.1.0', date: '2024-03-05', url: 'https://git.example.org/stadt/maengelmelder/-/releases/v1.1.0' });
  await pushRelease(first.token, second.id, { version: '2.0.0', date: '2024-02-01' });
  await pushRelease(other.token, other.software.id, { version: '0.9.0', date: '2024-04-01' });
}, 60_000);
afterAll(async () => hub?.close());

describe('Atom feeds', () => {
  it('the software feed is well-formed Atom, newest change first, with ids that stay the same between requests', async () => {
    const response = await hub.app.inject('/v1/feeds/software.atom');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/atom+xml; charset=utf-8');
    expect(response.headers['access-control-allow-origin']).toBe('*');
    const feed = atomFeed(response.body);
    expect(feed.entry!.map((e) => e.id[0])).toEqual([`urn:uuid:${other.software.id}`, `urn:uuid:${second.id}`, `urn:uuid:${first.software.id}`]);
    expect(feed.updated[0]).toBe(feed.entry![0]!.updated[0]);
    const again = atomFeed((await hub.app.inject('/v1/feeds/software.atom')).body);
    expect(again.id).toEqual(feed.id);
    expect(again.entry!.map((e) => e.id[0])).toEqual(feed.entry!.map((e) => e.id[0]));
    // Names are text, never markup: the HTML title shows the brackets and ampersand as written.
    const named = feed.entry!.find((e) => e.id[0] === `urn:uuid:${first.software.id}`)!;
    expect(text(named.title[0]!)).toBe('Mängelmelder &lt;Beta&gt; &amp; Co');
    expect(named.link[0]!['@_href']).toBe('https://git.example.org/stadt/maengelmelder');
  });

  it('an update moves an entry to the top with a new updated date and the same id', async () => {
    const before = atomFeed((await hub.app.inject('/v1/feeds/software.atom')).body);
    const patched = await hub.app.inject({ method: 'PATCH', url: `/v1/software/${first.software.id}`, headers: bearer(first.token), payload: { developmentStatus: 'stable' } });
    expect(patched.statusCode).toBe(200);
    const after = atomFeed((await hub.app.inject('/v1/feeds/software.atom')).body);
    expect(after.entry![0]!.id[0]).toBe(`urn:uuid:${first.software.id}`);
    expect(Date.parse(after.updated[0]!)).toBeGreaterThan(Date.parse(before.updated[0]!));
    expect(after.id).toEqual(before.id);
  });

  it('the releases feed lists every release by its release date, with notes as escaped text and the release page as link', async () => {
    const feed = atomFeed((await hub.app.inject('/v1/feeds/releases.atom')).body);
    expect(feed.entry!.map((e) => text(e.title[0]!))).toEqual(['Parkleitsystem 0.9.0', expect.stringContaining('1.1.0'), 'Ratsinfo 2.0.0', expect.stringContaining('1.0.0')]);
    expect(feed.entry![0]!.updated[0]).toBe('2024-04-01T00:00:00.000Z');
    expect(feed.updated[0]).toBe('2024-04-01T00:00:00.000Z');
    expect(feed.entry![1]!.link[0]!['@_href']).toBe('https://git.example.org/stadt/maengelmelder/-/releases/v1.1.0');
    expect(text(feed.entry![3]!.content![0]!)).toContain('&lt;script&gt;');
    expect(feed.entry![3]!.author![0]!.name[0]).toBe(first.organisation.name);
  });

  it('per organisation and per software, a feed holds only those releases and has an id of its own', async () => {
    const all = atomFeed((await hub.app.inject('/v1/feeds/releases.atom')).body);
    const byOrganisation = atomFeed((await hub.app.inject(`/v1/organisations/${first.organisation.slug}/releases.atom`)).body);
    expect(byOrganisation.entry!.map((e) => text(e.title[0]!))).toEqual([expect.stringContaining('1.1.0'), 'Ratsinfo 2.0.0', expect.stringContaining('1.0.0')]);
    const bySoftware = atomFeed((await hub.app.inject(`/v1/software/${second.slug}/releases.atom`)).body);
    expect(bySoftware.entry!.map((e) => text(e.title[0]!))).toEqual(['Ratsinfo 2.0.0']);
    // Slug or UUID: the same feed, the same id.
    expect(atomFeed((await hub.app.inject(`/v1/software/${second.id}/releases.atom`)).body).id).toEqual(bySoftware.id);
    expect(new Set([all.id[0], byOrganisation.id[0], bySoftware.id[0]]).size).toBe(3);
    expectProblem(await hub.app.inject('/v1/software/no-such-entry/releases.atom'), 404);
  });

  it('pages with Link headers: every release once, and a feed without entries still has a fixed updated date', async () => {
    const seen: string[] = [];
    let url: string | null = '/v1/feeds/releases.atom?limit=3';
    while (url) {
      const response: LightMyRequestResponse = await hub.app.inject(url);
      const feed = atomFeed(response.body);
      expect(feed.updated[0]).toBe('2024-04-01T00:00:00.000Z');
      seen.push(...(feed.entry ?? []).map((e) => e.id[0]!));
      url = /<([^>]+)>; rel="next"/.exec(String(response.headers.link))?.[1] ?? null;
    }
    expect(seen).toHaveLength(4);
    expect(new Set(seen).size).toBe(4);
    const empty = await createSoftware(hub.app, other.token, { organisationId: other.organisation.id, name: 'Ohne Releases' });
    const feed = atomFeed((await hub.app.inject(`/v1/software/${empty.id}/releases.atom`)).body);
    expect(feed.entry ?? []).toEqual([]);
    expect(feed.updated[0]).toBe('1970-01-01T00:00:00.000Z');
  });

  it('under HUB_PUBLIC_URL entries and the feed link to the hub, the feed names itself and its id is that hubs own', async () => {
    const public_ = await createTestHub({ HUB_PUBLIC_URL: 'https://hub.example.org/register/' });
    const another = await createTestHub({ HUB_PUBLIC_URL: 'https://hub-by.example/' });
    try {
      const { software } = await publisherWithSoftware(public_.app, { name: 'Bürgerportal' });
      const xml = (await public_.app.inject('/v1/feeds/software.atom')).body;
      const feed = atomFeed(xml) as AtomFeed & { link: { '@_href': string; '@_rel': string }[] };
      expect(feed.link).toEqual(expect.arrayContaining([expect.objectContaining({ '@_rel': 'self', '@_href': 'https://hub.example.org/register/v1/feeds/software.atom?limit=50&page=1' })]));
      expect(feed.entry![0]!.link[0]!['@_href']).toBe(`https://hub.example.org/register/v1/software/${software.id}`);
      // An entry is its record's UUID, whatever the address.
      expect(feed.entry![0]!.id[0]).toBe(`urn:uuid:${software.id}`);

      // A feed's id is unique per hub (RFC 4287 4.2.6): the same feed of two hubs, or of a hub without
      // HUB_PUBLIC_URL, has another id; a hub's own feed keeps its id across requests and pages.
      const feeds = ['/v1/feeds/software.atom', '/v1/feeds/releases.atom', '/v1/feeds/software.atom?origin=local', '/v1/feeds/releases.atom?origin=local'];
      const idOf = async (of: TestHub, url: string) => {
        const answer = await of.app.inject(url);
        expect(answer.statusCode, `${url}: ${answer.body}`).toBe(200);
        return atomFeed(answer.body).id[0]!;
      };
      const ids = new Set<string>();
      for (const url of feeds) {
        const own = await idOf(public_, url);
        expect(await idOf(public_, url), url).toBe(own);
        expect(await idOf(public_, `${url}${url.includes('?') ? '&' : '?'}limit=1&page=2`), url).toBe(own);
        ids.add(own);
        ids.add(await idOf(another, url));
        ids.add(await idOf(hub, url));
      }
      expect(ids.size).toBe(feeds.length * 3);
      expect(await idOf(public_, `/v1/software/${software.id}/releases.atom`)).toBe(await idOf(public_, `/v1/software/${software.slug}/releases.atom`));
    } finally {
      await public_.close();
      await another.close();
    }
  });
});
