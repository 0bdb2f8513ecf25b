import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHub, type TestHub } from '../helpers/hub';
import { loadDemo } from './export-fixtures';
import { queryDatabase } from './fixtures';

let hub: TestHub;
beforeAll(async () => {
  hub = await createTestHub();
  await loadDemo(hub);
}, 120_000);
afterAll(async () => hub?.close());

describe('GET /v1/export/repositories.json', () => {
  it('lists every registered repository URL once, in URL order, as {"repositories":[{"url":…}]}', async () => {
    const response = await hub.app.inject('/v1/export/repositories.json');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    const { repositories } = response.json() as { repositories: { url: string }[] };
    const stored = await queryDatabase<{ url: string }>(hub, 'select url from repository order by url');
    expect(repositories).toHaveLength(38);
    expect(repositories.map((r) => r.url)).toEqual(stored.map((r) => r.url));
    expect(repositories.every((r) => Object.keys(r).join() === 'url')).toBe(true);
  });

  it('leaves out the repositories of deactivated entries', async () => {
    const [row] = await queryDatabase<{ id: string; repository_url: string }>(hub, 'select id, repository_url from software order by slug limit 1');
    await queryDatabase(hub, 'update software set active = false where id = $1', [row!.id]);
    const { repositories } = (await hub.app.inject('/v1/export/repositories.json')).json() as { repositories: { url: string }[] };
    expect(repositories).toHaveLength(37);
    expect(repositories.map((r) => r.url)).not.toContain(row!.repository_url);
  });
});
