import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HubContext } from '../../src/domain/context';
import { loadDemoCatalogue } from '../../src/domain/demo/demo-catalogue';
import { createTestHub, type TestHub } from '../helpers/hub';
import { queryDatabase } from '../http/fixtures';

/*
 * The demo catalogue registers the real repositories of its entries, so that a hub with internet
 * access crawls them. The queue here records what would be crawled: a test never reaches GitHub.
 */
let hub: TestHub;
beforeAll(async () => {
  hub = await createTestHub();
});
afterAll(async () => hub?.close());

function recordingContext(): { ctx: HubContext; queued: string[] } {
  const queued: string[] = [];
  const queue = {
    ...hub.deps.hub.queue,
    enqueue: async (_contract: unknown, payload: { repositoryId: string }) => {
      queued.push(payload.repositoryId);
      return { jobId: payload.repositoryId, deduplicated: false };
    },
  } as unknown as HubContext['queue'];
  return { ctx: { ...hub.deps.hub, queue }, queued };
}

describe('the demo catalogue', { timeout: 120_000 }, () => {
  it('registers the real repository of each of its 38 entries and queues each first crawl once; a second load adds and queues nothing', async () => {
    const first = recordingContext();
    const loaded = await loadDemoCatalogue(first.ctx);
    expect(loaded).toMatchObject({ software: 38, repositories: 38 });
    expect(loaded.organisations).toBeGreaterThanOrEqual(73);
    expect(new Set(first.queued).size).toBe(38);

    const listed = (await hub.app.inject('/v1/repositories?limit=100')).json().items as { id: string; url: string; softwareId: string; hostKind: string; crawl: { state: string } }[];
    expect(listed).toHaveLength(38);
    expect(listed.map((r) => r.id).sort()).toEqual([...first.queued].sort());
    expect(listed.every((r) => r.crawl.state === 'queued')).toBe(true);
    expect(listed.find((r) => r.url === 'https://github.com/stadtulm/co2-sensoren')).toMatchObject({ hostKind: 'github' });
    expect(listed.find((r) => r.url.startsWith('https://gitlab.opencode.de/'))).toMatchObject({ hostKind: 'gitlab' });

    // Each entry names its repository and stays listed (its description is the owner's).
    const entry = (await hub.app.inject(`/v1/software/${listed[0]!.softwareId}`)).json();
    expect(entry).toMatchObject({ listed: true, crawlState: 'queued', repositories: [{ id: listed[0]!.id, url: listed[0]!.url }] });
    expect((await hub.app.inject('/v1/software?limit=100')).json().items).toHaveLength(38);

    const second = recordingContext();
    expect(await loadDemoCatalogue(second.ctx)).toEqual({ organisations: 0, software: 0, repositories: 0 });
    expect(second.queued).toEqual([]);
    expect((await hub.app.inject('/v1/repositories?limit=100')).json().items).toHaveLength(38);
  });

  it('gives every entry its fields of action and every publisher with a seat its federal state, so the category and state facets are not empty', async () => {
    await loadDemoCatalogue(recordingContext().ctx);
    const uncategorised = await queryDatabase<{ name: string }>(hub, "select name from software where cardinality(categories) = 0");
    expect(uncategorised).toEqual([]);
    const page = (await hub.app.inject('/v1/software?facets=true&limit=1')).json();
    expect(page.facets.category).toContainEqual(expect.objectContaining({ value: 'mobilitaet' }));
    const munich = (await hub.app.inject('/v1/organisations/landeshauptstadt-muenchen')).json();
    expect(munich).toMatchObject({ state: 'Bayern' });
    const statesWithSemicolons = await queryDatabase<{ state: string }>(hub, "select state from organisation where state like '%;%'");
    expect(statesWithSemicolons).toEqual([]);
  });

  it('gives an installation loaded before the repositories existed its repositories once, without HUB_DEMO_CRAWL no crawl', async () => {
    await queryDatabase(hub, 'delete from repository');
    const offline = recordingContext();
    const ctx = { ...offline.ctx, config: { ...offline.ctx.config, demoCrawl: false } };
    expect(await loadDemoCatalogue(ctx)).toEqual({ organisations: 0, software: 0, repositories: 38 });
    expect(offline.queued).toEqual([]);
    expect(await loadDemoCatalogue(ctx)).toEqual({ organisations: 0, software: 0, repositories: 0 });
  });
});
