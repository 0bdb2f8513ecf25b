import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, bearer, createTestHub, organisationWithToken, type TestHub } from '../helpers/hub';
import { updateRepository } from '../../src/db/queries/repositories.queries';
import { expectProblem } from './fixtures';

/*
 * Registration only: what the crawl then finds belongs to the crawler's tests. The URLs point
 * at closed loopback ports, so a crawl the in-process runner may start fails at once and
 * never leaves the machine.
 */
let hub: TestHub;
let publisher: { organisation: { id: string; slug: string }; token: string };
beforeAll(async () => {
  hub = await createTestHub();
  publisher = await organisationWithToken(hub.app, ['publish']);
});
afterAll(async () => hub?.close());

const CRAWL_STATES = ['queued', 'running', 'succeeded', 'unchanged', 'failed'];

async function register(url: string, organisationId: string, token: string) {
  return hub.app.inject({ method: 'POST', url: '/v1/repositories', headers: bearer(token), payload: { url, organisationId } });
}

describe('registering a repository', () => {
  it('is accepted with 202 and {id, softwareId, url, crawl: {state}}, and creates a software entry for it', async () => {
    const response = await register('http://127.0.0.1:9/stadt/Parkplatz-App.git/', publisher.organisation.id, publisher.token);
    expect(response.statusCode, response.body).toBe(202);
    const repository = response.json();
    expect(repository).toMatchObject({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      softwareId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      url: 'http://127.0.0.1:9/stadt/Parkplatz-App',
      organisationId: publisher.organisation.id,
      hostKind: 'git',
    });
    expect(CRAWL_STATES).toContain(repository.crawl.state);

    const software = await hub.app.inject(`/v1/software/${repository.softwareId}`);
    expect(software.statusCode).toBe(200);
    expect(software.json()).toMatchObject({
      name: 'Parkplatz-App',
      slug: 'parkplatz-app',
      repositoryUrl: 'http://127.0.0.1:9/stadt/Parkplatz-App',
      organisation: { id: publisher.organisation.id },
    });
  });

  it('the repository can be read back by its id', async () => {
    const registered = (await register('http://127.0.0.1:9/stadt/lesbar', publisher.organisation.slug, publisher.token)).json();
    const response = await hub.app.inject(`/v1/repositories/${registered.id}`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ id: registered.id, url: registered.url, softwareId: registered.softwareId });
    expect(CRAWL_STATES).toContain(response.json().crawl.state);
  });

  it('registering the same repository in another spelling is the same repository, not a second one', async () => {
    const first = (await register('http://127.0.0.1:9/stadt/doppelt', publisher.organisation.id, publisher.token)).json();
    const again = await register('HTTP://127.0.0.1:9/stadt/doppelt.git/', publisher.organisation.id, publisher.token);
    expect(again.statusCode).toBe(202);
    expect(again.json()).toMatchObject({ id: first.id, softwareId: first.softwareId });
  });

  it('an scp-like git address is registered as its https form', async () => {
    const response = await register('git@127.0.0.1:stadt/scp-form.git', publisher.organisation.id, publisher.token);
    expect(response.statusCode, response.body).toBe(202);
    expect(response.json().url).toBe('https://127.0.0.1/stadt/scp-form');
  });

  it('a repository another organisation registered is a 409', async () => {
    const other = await organisationWithToken(hub.app, ['publish']);
    await register('http://127.0.0.1:9/stadt/vergeben', publisher.organisation.id, publisher.token);
    expectProblem(await register('http://127.0.0.1:9/stadt/vergeben', other.organisation.id, other.token), 409);
  });

  it('a URL that is no http(s) repository is a 400', async () => {
    for (const url of ['kein url', 'ftp://127.0.0.1/x/y', 'http://127.0.0.1:9/', 'file:///etc/passwd']) {
      expectProblem(await register(url, publisher.organisation.id, publisher.token), 400);
    }
  });

  it('an organisation that does not exist is a 404', async () => {
    const response = await hub.app.inject({
      method: 'POST',
      url: '/v1/repositories',
      headers: admin,
      payload: { url: 'http://127.0.0.1:9/x/y', organisationId: 'gibt-es-nicht' },
    });
    expectProblem(response, 404);
  });
});

describe('reading a repository', () => {
  it('an unknown id or a non-uuid is a 404 problem', async () => {
    expectProblem(await hub.app.inject('/v1/repositories/00000000-0000-4000-8000-000000000000'), 404);
    expectProblem(await hub.app.inject('/v1/repositories/kein-uuid'), 404);
  });
});

describe('finding a repository by its URL', () => {
  it('?url= finds the registered repository in another spelling (.git, scheme and host case, trailing slash) and nothing else', async () => {
    const registered = (await register('http://127.0.0.1:9/stadt/Gefunden', publisher.organisation.id, publisher.token)).json();
    await register('http://127.0.0.1:9/stadt/Gefunden-nicht', publisher.organisation.id, publisher.token);
    for (const spelling of ['http://127.0.0.1:9/stadt/Gefunden', 'HTTP://127.0.0.1:9/stadt/Gefunden.git/', 'http://127.0.0.1:9/stadt/Gefunden/']) {
      const response = await hub.app.inject({ url: '/v1/repositories', query: { url: spelling } });
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json().items.map((r: { id: string }) => r.id), spelling).toEqual([registered.id]);
    }
    // Path case is kept (Gitea and plain git hosts are case-sensitive): another case is another repository.
    const otherCase = await hub.app.inject({ url: '/v1/repositories', query: { url: 'http://127.0.0.1:9/stadt/gefunden' } });
    expect(otherCase.json().items).toEqual([]);
  });

  it('?url= finds a moved repository by its former URL', async () => {
    const registered = (await register('http://127.0.0.1:9/stadt/umgezogen-neu', publisher.organisation.id, publisher.token)).json();
    await updateRepository(hub.deps.hub.db, registered.id, { aliases: ['http://127.0.0.1:9/stadt/umgezogen-alt'] });
    const response = await hub.app.inject({ url: '/v1/repositories', query: { url: 'http://127.0.0.1:9/stadt/umgezogen-alt.git' } });
    expect(response.json().items.map((r: { id: string }) => r.id)).toEqual([registered.id]);
  });

  it('?url= that is no repository URL is a 400 naming the field', async () => {
    const problem = expectProblem(await hub.app.inject({ url: '/v1/repositories', query: { url: 'ftp://example.org/x' } }), 400);
    expect(problem.errors).toEqual([expect.objectContaining({ field: 'url' })]);
  });
});
