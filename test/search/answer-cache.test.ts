import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, bearer, createTestHub, organisationWithToken, type TestHub } from '../helpers/hub';
import { createSoftware, queryDatabase } from '../http/fixtures';
import { AnswerCache } from '../../src/domain/search/answer-cache';
import { withinASecond } from '../helpers/within-a-second';

type Suggestions = { items: { kind: string; text: string }[] };
type Page = {
  items: { slug: string; name: string; organisation: { name: string } }[];
  facets?: Record<string, { value: string; count: number }[]>;
};

/**
 * Search and suggestions are cached per catalogue revision. The same request, repeated after
 * each kind of write, must show the write: a cached answer is never older than the catalogue.
 */
describe('cached search answers follow every write', () => {
  let hub: TestHub;
  let publisher: Awaited<ReturnType<typeof organisationWithToken>>;
  let slug: string;
  const get = async (url: string) => {
    const res = await hub.app.inject(url);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Page;
  };
  const revision = async () => (await queryDatabase<{ revision: string }>(hub, 'SELECT revision::text AS revision FROM catalogue_revision'))[0]!.revision;

  beforeAll(async () => {
    hub = await createTestHub();
    publisher = await organisationWithToken(hub.app, ['publish'], 'Stadt Zwickau');
    const entry = await createSoftware(hub.app, publisher.token, {
      organisationId: publisher.organisation.id,
      name: 'Wärmeplaner',
      shortDescription: { de: 'Kommunale Wärmeplanung mit Gebäudedaten.' },
      licence: 'EUPL-1.2',
    });
    slug = entry.slug;
  });
  afterAll(async () => hub?.close());

  it('answers a repeated request alike, in any parameter order, without moving the revision', async () => {
    const before = await revision();
    const first = await get('/v1/software?q=W%C3%A4rmeplanung&facets=true');
    const again = await get('/v1/software?facets=true&q=W%C3%A4rmeplanung');
    expect(again).toEqual(first);
    expect(await revision()).toBe(before);
  });

  it('shows a renamed entry on the same query', async () => {
    expect((await get('/v1/software?q=W%C3%A4rmeplanung')).items.map((i) => i.name)).toEqual(['Wärmeplaner']);
    const patched = await hub.app.inject({ method: 'PATCH', url: `/v1/software/${slug}`, headers: bearer(publisher.token), payload: { name: 'Wärmeplaner Pro' } });
    expect(patched.statusCode, patched.body).toBe(200);
    expect((await get('/v1/software?q=W%C3%A4rmeplanung')).items.map((i) => i.name)).toEqual(['Wärmeplaner Pro']);
  });

  it('shows a renamed organisation on the same query', async () => {
    await get('/v1/software?q=W%C3%A4rmeplanung');
    const patched = await hub.app.inject({ method: 'PATCH', url: `/v1/organisations/${publisher.organisation.id}`, headers: admin, payload: { name: 'Stadt Zwickau (Klima)' } });
    expect(patched.statusCode, patched.body).toBe(200);
    expect((await get('/v1/software?q=W%C3%A4rmeplanung')).items[0]!.organisation.name).toBe('Stadt Zwickau (Klima)');
  });

  it('counts a new production reuse in the facets of the same query', async () => {
    const url = '/v1/software?q=W%C3%A4rmeplanung&facets=true';
    const reused = (page: Page) => page.facets!.productionReuse!.find((f) => f.value === 'true')?.count ?? 0;
    expect(reused(await get(url))).toBe(0);
    const reuser = await organisationWithToken(hub.app, ['reuse'], 'Gemeinde Nachnutz');
    const recorded = await hub.app.inject({ method: 'POST', url: `/v1/software/${slug}/reuses`, headers: bearer(reuser.token), payload: { status: 'production' } });
    expect(recorded.statusCode, recorded.body).toBe(201);
    expect(reused(await get(url))).toBe(1);
  });

  it('shows the reuse counts and provenance of the moment, also for changes the search document does not hold', async () => {
    // A disputed record counts in no search column: withdrawing it changes only the list's counts.
    const url = '/v1/software?q=W%C3%A4rmeplanung';
    const disputed = async () => ((await get(url)).items[0] as unknown as { reuseCounts: { byOtherOrganisations: { disputed: number } } }).reuseCounts.byOtherOrganisations.disputed;
    const reuser = await organisationWithToken(hub.app, ['reuse'], 'Gemeinde Bestritten');
    const recorded = await hub.app.inject({ method: 'POST', url: `/v1/software/${slug}/reuses`, headers: bearer(reuser.token), payload: { status: 'evaluating' } });
    expect(recorded.statusCode, recorded.body).toBe(201);
    const reuseUrl = `/v1/software/${slug}/reuses/${recorded.json().id}`;
    const dispute = await hub.app.inject({ method: 'POST', url: `${reuseUrl}/dispute`, headers: bearer(publisher.token), payload: { reason: 'Nicht bekannt.' } });
    expect(dispute.statusCode, dispute.body).toBe(200);
    expect(await disputed()).toBe(1);
    expect(await disputed()).toBe(1);
    const withdrawn = await hub.app.inject({ method: 'DELETE', url: reuseUrl, headers: bearer(reuser.token) });
    expect(withdrawn.statusCode, withdrawn.body).toBe(204);
    expect(await disputed()).toBe(0);

    // Received again from a peer: only federation_record changes.
    const [entry] = await queryDatabase<{ id: string }>(hub, 'SELECT id FROM software WHERE slug = $1', [slug]);
    const provenance = async () => ((await get(url)).items[0] as unknown as { provenance: { origin: string; receivedAt: string | null } }).provenance;
    expect(await provenance()).toEqual({ origin: 'local', receivedAt: null });
    await queryDatabase(
      hub,
      `INSERT INTO federation_record (type, record_id, global_id, origin_hub, origin_version, origin_updated_at, received_at, content_digest, entry)
       VALUES ('software', $1, $2, 'https://hub-sn.example', 1, now(), now(), 'sha-256=:AA==:', '{}')
       ON CONFLICT (type, record_id) DO UPDATE SET origin_hub = excluded.origin_hub, received_at = excluded.received_at`,
      [entry!.id, `https://hub-sn.example/software/${entry!.id}`],
    );
    // A write of another process (here: straight to the database) shows within a second (issue 13).
    expect(await withinASecond(async () => (await provenance()).origin, 'https://hub-sn.example')).toBe('https://hub-sn.example');
    await queryDatabase(hub, "DELETE FROM federation_record WHERE type = 'software' AND record_id = $1", [entry!.id]);
    expect(await withinASecond(async () => (await provenance()).origin, 'local')).toBe('local');
  });

  it('drops a deactivated entry from the same query and suggestion', async () => {
    expect((await get('/v1/software?q=W%C3%A4rmeplanung')).items).toHaveLength(1);
    const suggested = async () => ((await get('/v1/search/suggest?q=w%C3%A4rmepl')) as unknown as Suggestions).items.map((s) => s.text);
    expect(await suggested()).toContain('Wärmeplaner Pro');
    const deleted = await hub.app.inject({ method: 'DELETE', url: `/v1/software/${slug}`, headers: bearer(publisher.token) });
    expect(deleted.statusCode, deleted.body).toBeLessThan(300);
    expect((await get('/v1/software?q=W%C3%A4rmeplanung')).items).toHaveLength(0);
    expect(await suggested()).not.toContain('Wärmeplaner Pro');
  });

  it('moves the revision on once per writing transaction, not per row', async () => {
    for (const name of ['Wärmenetz', 'Wärmekataster']) await createSoftware(hub.app, publisher.token, { organisationId: publisher.organisation.id, name });
    const before = BigInt(await revision());
    await queryDatabase(hub, "UPDATE software SET licence = 'MIT' WHERE organisation_id = $1", [publisher.organisation.id]);
    expect(BigInt(await revision())).toBe(before + 1n);
  });
});

describe('the answer cache itself', () => {
  it('computes concurrent identical misses once', async () => {
    const cache = new AnswerCache(1024 * 1024);
    let computed = 0;
    const compute = async () => {
      computed += 1;
      await new Promise((r) => setTimeout(r, 20));
      return { items: [computed] };
    };
    const answers = await Promise.all([cache.through('7', 'q', compute), cache.through('7', 'q', compute), cache.through('7', 'q', compute)]);
    expect(computed).toBe(1);
    expect(answers.every((a) => a === answers[0])).toBe(true);
  });

  it('files answers as JSON text: a hit is an equal copy that its caller may change', async () => {
    const cache = new AnswerCache(1024 * 1024);
    const answer = { items: [{ name: 'Mängelmelder', updatedAt: '2026-12-01T00:00:00.000Z' }], nextCursor: null };
    await cache.through('5', 'q', async () => answer);
    expect(await cache.through('5', 'q', async () => answer)).toBe(answer);
    const hit = await cache.through('5', 'q', async () => ({ ...answer, items: [] as typeof answer.items }));
    expect(hit).toEqual(answer);
    expect(hit).not.toBe(answer);
    hit.items[0]!.name = 'changed by one caller';
    expect(await cache.through('5', 'q', async () => answer)).toEqual(answer);
  });

  it('keeps no more JSON text than its budget', async () => {
    const cache = new AnswerCache(10_000);
    for (let i = 0; i < 50; i++) for (const _ of [1, 2]) await cache.through('1', `q${i}`, async () => ({ text: 'x'.repeat(900) }));
    expect(cache.size).toBeLessThanOrEqual(10);
    expect(cache.size).toBeGreaterThanOrEqual(9);
  });

  it('files an answer from its second request on, so that queries asked once fill nothing', async () => {
    const cache = new AnswerCache(1024 * 1024);
    let computed = 0;
    const compute = async () => ({ n: ++computed });
    for (let i = 0; i < 100; i++) await cache.through('2', `once ${i}`, compute);
    expect(cache.size).toBe(0);
    expect(await cache.through('2', 'twice', compute)).toEqual({ n: 101 });
    expect(await cache.through('2', 'twice', compute)).toEqual({ n: 102 });
    expect(await cache.through('2', 'twice', compute)).toEqual({ n: 102 });
    expect(cache.size).toBe(1);
    // A new revision forgets which keys were seen.
    await cache.through('3', 'twice', compute);
    expect(cache.size).toBe(0);
  });

  it('serves nothing computed under another revision, also after the revision went back (a restore)', async () => {
    const cache = new AnswerCache(1024 * 1024);
    expect(await cache.through('9', 'q', async () => ({ v: 'nine' }))).toEqual({ v: 'nine' });
    expect(await cache.through('9', 'q', async () => ({ v: 'nine' }))).toEqual({ v: 'nine' });
    expect(await cache.through('9', 'q', async () => ({ v: 'again' }))).toEqual({ v: 'nine' });
    expect(await cache.through('3', 'q', async () => ({ v: 'three' }))).toEqual({ v: 'three' });
    expect(await cache.through('3', 'q', async () => ({ v: 'three' }))).toEqual({ v: 'three' });
    expect(await cache.through('9', 'q', async () => ({ v: 'nine, restored' }))).toEqual({ v: 'nine, restored' });
    expect(await cache.through('9', 'q', async () => ({ v: 'nine, restored' }))).toEqual({ v: 'nine, restored' });
    expect(await cache.through('9', 'q', async () => ({ v: 'nine, once more' }))).toEqual({ v: 'nine, restored' });
  });
});
