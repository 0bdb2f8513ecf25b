import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, bearer, createTestHub, type TestHub } from '../helpers/hub';
import { expectProblem, problemFields, publisherWithSoftware } from './fixtures';

let hub: TestHub;
beforeAll(async () => {
  hub = await createTestHub();
});
afterAll(async () => hub?.close());

type Release = { id: string; softwareId: string; version: string; date: string | null; notes: string | null; url: string | null; source: string };

async function push(softwareId: string, token: string, payload: Record<string, unknown>) {
  return hub.app.inject({ method: 'POST', url: `/v1/software/${softwareId}/releases`, headers: bearer(token), payload });
}

async function releasesOf(softwareId: string): Promise<Release[]> {
  const response = await hub.app.inject(`/v1/software/${softwareId}/releases`);
  expect(response.statusCode).toBe(200);
  return response.json().items;
}

const payload = {
  version: '1.2.0',
  date: '2024-03-01T10:00:00Z',
  notes: 'Neue Kartenansicht',
  url: 'https://github.com/musterhausen/app/releases/tag/v1.2.0',
};

describe('pushing a release from CI', () => {
  it('the first push is 201 with the release, the same payload again is 200 with the same release, and one release exists', async () => {
    const { token, software } = await publisherWithSoftware(hub.app);
    const first = await push(software.id, token, payload);
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({
      softwareId: software.id,
      version: '1.2.0',
      date: '2024-03-01T10:00:00.000Z',
      notes: 'Neue Kartenansicht',
      url: payload.url,
      source: 'api',
    });
    const again = await push(software.id, token, payload);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toEqual(first.json());
    expect(await releasesOf(software.id)).toHaveLength(1);
  });

  it('a different payload for a published version is a 409 and the release keeps its notes', async () => {
    const { token, software } = await publisherWithSoftware(hub.app);
    expect((await push(software.id, token, payload)).statusCode).toBe(201);
    const changed = await push(software.id, token, { ...payload, notes: 'Andere Notizen' });
    const problem = expectProblem(changed, 409);
    expect(problem.detail).toContain('1.2.0');
    const [release] = await releasesOf(software.id);
    expect(release!.notes).toBe('Neue Kartenansicht');
  });

  it('a re-run that sends only another date is 200 with the release as first published (the first date stays)', async () => {
    const { token, software } = await publisherWithSoftware(hub.app);
    const first = await push(software.id, token, payload);
    const again = await push(software.id, token, { ...payload, date: '2024-03-02T10:00:00Z' });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toEqual(first.json());
    expect((await releasesOf(software.id))[0]!.date).toBe('2024-03-01T10:00:00.000Z');
  });

  it('other notes or another URL for a published version is a 409 whose code and fields name what differs', async () => {
    const { token, software } = await publisherWithSoftware(hub.app);
    await push(software.id, token, payload);
    const notes = expectProblem(await push(software.id, token, { ...payload, notes: 'Andere Notizen' }), 409);
    expect(notes.type).toMatch(/\/release-version-conflict$/);
    expect(notes.errors).toEqual([{ field: '/notes', message: 'differs from the published release' }]);
    const both = await push(software.id, token, { ...payload, notes: 'Andere', url: 'https://example.org/anders', date: '2025-01-01' });
    expect(problemFields(both)).toEqual(['/notes', '/url']);
    expect(expectProblem(both, 409).detail).toContain('notes, url');
  });

  it('a re-run that leaves out notes and URL repeats nothing it contradicts: 200 with the release as published', async () => {
    const { token, software } = await publisherWithSoftware(hub.app);
    const first = await push(software.id, token, payload);
    const bare = await push(software.id, token, { version: payload.version });
    expect(bare.statusCode, bare.body).toBe(200);
    expect(bare.json()).toEqual(first.json());
  });

  it('"v1.2.0" and "1.2.0" are one release', async () => {
    const { token, software } = await publisherWithSoftware(hub.app);
    expect((await push(software.id, token, { ...payload, version: 'v1.2.0' })).statusCode).toBe(201);
    const plain = await push(software.id, token, { ...payload, version: '1.2.0' });
    expect(plain.statusCode, plain.body).toBe(200);
    expect(plain.json().version).toBe('1.2.0');
    expect(await releasesOf(software.id)).toHaveLength(1);
  });

  it('a push without a date is dated by the hub and the same push again is still 200', async () => {
    const { token, software } = await publisherWithSoftware(hub.app);
    const first = await push(software.id, token, { version: '0.1.0' });
    expect(first.statusCode).toBe(201);
    expect(first.json().date).toEqual(expect.any(String));
    expect((await push(software.id, token, { version: '0.1.0' })).statusCode).toBe(200);
  });

  it('the same push sent several times at once gives one release and no 500', async () => {
    const { token, software } = await publisherWithSoftware(hub.app);
    const responses = await Promise.all([1, 2, 3, 4].map(() => push(software.id, token, { ...payload, version: '7.0.0' })));
    for (const response of responses) expect([200, 201, 409], response.body).toContain(response.statusCode);
    expect(responses.filter((r) => r.statusCode === 201)).toHaveLength(1);
    expect(await releasesOf(software.id)).toHaveLength(1);
  });

  it('a release for a software entry that does not exist is a 404', async () => {
    const response = await hub.app.inject({ method: 'POST', url: '/v1/software/gibt-es-nicht/releases', headers: admin, payload });
    expectProblem(response, 404);
  });

  it('an unparseable date is a 400 naming the date', async () => {
    const { token, software } = await publisherWithSoftware(hub.app);
    const response = await push(software.id, token, { version: '1.0.0', date: 'nächsten Dienstag' });
    expectProblem(response, 400);
    expect(problemFields(response)).toEqual(['/date']);
  });

  it('a version of only blanks is a 400', async () => {
    const { token, software } = await publisherWithSoftware(hub.app);
    expectProblem(await push(software.id, token, { version: '   ' }), 400);
  });

  it('a version that is not a version number (markup, words) is a 400 naming the version', async () => {
    const { token, software } = await publisherWithSoftware(hub.app);
    for (const version of ['<script>alert(1)</script>', '1.0<b>', 'stable', 'v']) {
      const response = await push(software.id, token, { version });
      expectProblem(response, 400);
      expect(problemFields(response), version).toEqual(['/version']);
    }
    expect(await releasesOf(software.id)).toEqual([]);
  });

  it('a release can be pushed by slug', async () => {
    const { token, software } = await publisherWithSoftware(hub.app);
    const response = await push(software.slug, token, { version: '3.1.4' });
    expect(response.statusCode).toBe(201);
    expect(response.json().softwareId).toBe(software.id);
    expect((await hub.app.inject(`/v1/software/${software.slug}/releases`)).json().items).toHaveLength(1);
  });
});

describe('the release list', () => {
  it('pages like every other list: 20 by default, newest first, every release once by following nextCursor', async () => {
    const { token, software } = await publisherWithSoftware(hub.app);
    for (let minor = 0; minor < 25; minor++) await push(software.id, token, { version: `1.${minor}.0` });
    await push(software.id, token, { version: '1.5.0-rc.1' });
    const first = await hub.app.inject(`/v1/software/${software.id}/releases`);
    expect(first.json().items).toHaveLength(20);
    expect(first.json().nextCursor).toEqual(expect.any(String));
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?limit=7&cursor=${encodeURIComponent(cursor)}` : '?limit=7';
      const page = (await hub.app.inject(`/v1/software/${software.id}/releases${query}`)).json();
      expect(page.items.length).toBeLessThanOrEqual(7);
      seen.push(...page.items.map((r: Release) => r.version));
      cursor = page.nextCursor;
    } while (cursor);
    const stable = Array.from({ length: 25 }, (_, i) => `1.${24 - i}.0`);
    expect(seen).toEqual([...stable.slice(0, 20), '1.5.0-rc.1', ...stable.slice(20)]);
  });

  it('a cursor the API did not hand out is a 400', async () => {
    const { software } = await publisherWithSoftware(hub.app);
    expectProblem(await hub.app.inject(`/v1/software/${software.id}/releases?cursor=kaputt`), 400);
  });
});

describe('the latest release', () => {
  it('follows semantic versioning, not the order or date of the pushes', async () => {
    const { token, software } = await publisherWithSoftware(hub.app);
    const pushes = [
      { version: '1.10.0', date: '2024-01-01T00:00:00Z' },
      { version: '1.9.0', date: '2024-06-01T00:00:00Z' },
      { version: 'v2.0.0-rc.1', date: '2024-07-01T00:00:00Z' },
      { version: '1.2.3', date: '2024-08-01T00:00:00Z' },
    ];
    const latest = async () => (await hub.app.inject(`/v1/software/${software.id}`)).json().latestRelease;

    await push(software.id, token, pushes[0]!);
    expect(await latest()).toEqual({ version: '1.10.0', date: '2024-01-01T00:00:00.000Z' });
    await push(software.id, token, pushes[1]!);
    expect((await latest()).version).toBe('1.10.0');
    await push(software.id, token, pushes[2]!);
    expect((await latest()).version).toBe('1.10.0');
    await push(software.id, token, pushes[3]!);
    expect((await latest()).version).toBe('1.10.0');
    await push(software.id, token, { version: '2.0.0', date: '2023-01-01T00:00:00Z' });
    expect(await latest()).toEqual({ version: '2.0.0', date: '2023-01-01T00:00:00.000Z' });

    expect((await releasesOf(software.id)).map((r) => r.version)).toEqual(['2.0.0', '2.0.0-rc.1', '1.10.0', '1.9.0', '1.2.3']);
  });

  it('a prerelease is not the latest release: the entry shows it separately while it is newer than the latest stable one', async () => {
    const { token, software } = await publisherWithSoftware(hub.app);
    const entry = async () => (await hub.app.inject(`/v1/software/${software.id}`)).json();
    await push(software.id, token, { version: '2.0.0-rc.1', date: '2024-07-01T00:00:00Z' });
    expect(await entry()).toMatchObject({ latestRelease: null, latestPrerelease: { version: '2.0.0-rc.1', date: '2024-07-01T00:00:00.000Z' } });
    await push(software.id, token, { version: '1.9.0', date: '2024-06-01T00:00:00Z' });
    await push(software.id, token, { version: '2.0.0-beta.2', date: '2024-06-15T00:00:00Z' });
    expect(await entry()).toMatchObject({ latestRelease: { version: '1.9.0' }, latestPrerelease: { version: '2.0.0-rc.1' } });
    const list = (await hub.app.inject(`/v1/software?organisation=${software.organisation.id}`)).json();
    expect(list.items[0].latestRelease.version).toBe('1.9.0');
    await push(software.id, token, { version: '2.0.0', date: '2024-08-01T00:00:00Z' });
    expect(await entry()).toMatchObject({ latestRelease: { version: '2.0.0' }, latestPrerelease: null });
    const patched = await hub.app.inject({ method: 'PATCH', url: `/v1/software/${software.id}`, headers: bearer(token), payload: { name: 'Umbenannt' } });
    expect(patched.json()).toMatchObject({ latestRelease: { version: '2.0.0' }, latestPrerelease: null });
    await push(software.id, token, { version: '2.1.0-rc.1' });
    expect((await entry()).latestPrerelease.version).toBe('2.1.0-rc.1');
  });

  it('the software list shows the latest release too', async () => {
    const { token, software, organisation } = await publisherWithSoftware(hub.app);
    await push(software.id, token, { version: '0.9.0' });
    await push(software.id, token, { version: '0.10.0' });
    const list = (await hub.app.inject(`/v1/software?organisation=${organisation.id}`)).json();
    expect(list.items[0].latestRelease.version).toBe('0.10.0');
  });

  it('a software entry without releases has none and an empty release list', async () => {
    const { software } = await publisherWithSoftware(hub.app);
    expect((await hub.app.inject(`/v1/software/${software.id}`)).json().latestRelease).toBeNull();
    expect(await releasesOf(software.id)).toEqual([]);
  });

  it('the release list of an unknown software entry is a 404', async () => {
    expectProblem(await hub.app.inject('/v1/software/gibt-es-nicht/releases'), 404);
  });
});
