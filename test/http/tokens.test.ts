import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, bearer, createTestHub, organisationWithToken, type TestHub } from '../helpers/hub';
import { createOrganisation, expectProblem, queryDatabase } from './fixtures';

let hub: TestHub;
beforeAll(async () => {
  hub = await createTestHub();
});
afterAll(async () => hub?.close());

async function createToken(organisation: string, body: Record<string, unknown>, headers: Record<string, string> = admin) {
  return hub.app.inject({ method: 'POST', url: `/v1/organisations/${organisation}/tokens`, headers, payload: body });
}

/** A write the token may do: updating its own organisation (publish scope). */
async function useToken(organisationId: string, token: string) {
  return hub.app.inject({ method: 'PATCH', url: `/v1/organisations/${organisationId}`, headers: bearer(token), payload: { website: 'https://token.example' } });
}

describe('creating tokens', () => {
  it('the admin creates a token and gets {id, token, scopes} once; the secret works as a bearer token', async () => {
    const org = await createOrganisation(hub.app, { name: 'Tokenstadt', kind: 'municipality' });
    const response = await createToken(org.slug, { scopes: ['publish', 'reuse'], label: 'GitLab CI' });
    expect(response.statusCode, response.body).toBe(201);
    const created = response.json();
    expect(created).toMatchObject({ organisationId: org.id, scopes: ['publish', 'reuse'], label: 'GitLab CI', revokedAt: null, lastUsedAt: null });
    expect(created.token).toMatch(/^thub_[A-Za-z0-9_-]{40,}$/);
    expect((await useToken(org.id, created.token)).statusCode).toBe(200);
  });

  it('the secret is stored only as a hash', async () => {
    const org = await createOrganisation(hub.app, { name: 'Hashstadt', kind: 'municipality' });
    const { id, token } = (await createToken(org.id, { scopes: ['publish'] })).json();
    const rows = await queryDatabase<{ token_hash: string }>(hub, 'select token_hash from api_token where id = $1', [id]);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.token_hash).not.toContain(token);
    expect(rows[0]!.token_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('the token list shows tokens without their secrets and with the time of last use', async () => {
    const org = await createOrganisation(hub.app, { name: 'Listenstadt', kind: 'municipality' });
    const { token } = (await createToken(org.id, { scopes: ['publish'], label: 'eins' })).json();
    await useToken(org.id, token);
    const list = await hub.app.inject({ url: `/v1/organisations/${org.id}/tokens`, headers: admin });
    expect(list.statusCode).toBe(200);
    const items = list.json().items;
    expect(items).toHaveLength(1);
    expect(items[0]).not.toHaveProperty('token');
    expect(items[0].lastUsedAt).toEqual(expect.any(String));
    expect(list.body).not.toContain(token);
  });

  it('unknown, duplicate or no scopes are a 400', async () => {
    const org = await createOrganisation(hub.app, { name: 'Scopestadt', kind: 'municipality' });
    for (const scopes of [[], ['superuser'], ['publish', 'publish'], ['publish', 'reuse', 'admin', 'publish']]) {
      expectProblem(await createToken(org.id, { scopes }), 400);
    }
  });

  it('a token for an organisation that does not exist is a 404', async () => {
    expectProblem(await createToken('gibt-es-nicht', { scopes: ['publish'] }), 404);
  });

  it('only the admin creates or lists tokens: a publish token of the organisation itself gets 403', async () => {
    const { organisation, token } = await organisationWithToken(hub.app, ['publish', 'reuse']);
    expectProblem(await createToken(organisation.id, { scopes: ['publish'] }, bearer(token)), 403);
    expectProblem(await hub.app.inject({ url: `/v1/organisations/${organisation.id}/tokens`, headers: bearer(token) }), 403);
    expectProblem(await hub.app.inject(`/v1/organisations/${organisation.id}/tokens`), 401);
  });

  it('the admin scope cannot be granted: a 400 that says admin is the hub operator\'s role, and no token is stored', async () => {
    const org = await createOrganisation(hub.app, { name: 'Adminscopestadt', kind: 'municipality' });
    for (const scopes of [['admin'], ['publish', 'admin']]) {
      const problem = expectProblem(await createToken(org.id, { scopes }), 400);
      expect(problem.type).toBe('https://transferhub.eu/problems/token.admin_scope_not_grantable');
      expect(problem.detail).toMatch(/HUB_ADMIN_TOKEN/);
      expect(problem.errors).toEqual([{ field: '/scopes', message: expect.stringMatching(/admin/) }]);
    }
    const list = (await hub.app.inject({ url: `/v1/organisations/${org.id}/tokens`, headers: admin })).json().items;
    expect(list).toEqual([]);
  });

  it('the API document says that the admin scope cannot be granted', async () => {
    const doc = (await hub.app.inject('/openapi.json')).json();
    const operation = doc.paths['/v1/organisations/{id}/tokens'].post;
    expect(JSON.stringify(operation)).toMatch(/HUB_ADMIN_TOKEN/);
  });
});

describe('revoking tokens', () => {
  it('a revoked token is refused with 401 on its next use, also on reads', async () => {
    const { organisation, token } = await organisationWithToken(hub.app, ['publish']);
    expect((await useToken(organisation.id, token)).statusCode).toBe(200);
    const [info] = (await hub.app.inject({ url: `/v1/organisations/${organisation.id}/tokens`, headers: admin })).json().items;

    const revoked = await hub.app.inject({ method: 'DELETE', url: `/v1/organisations/${organisation.slug}/tokens/${info.id}`, headers: admin });
    expect(revoked.statusCode).toBe(204);
    expect(revoked.body).toBe('');

    const problem = expectProblem(await useToken(organisation.id, token), 401);
    expect(problem.detail).toMatch(/revoked/);
    expectProblem(await hub.app.inject({ url: '/v1/organisations', headers: bearer(token) }), 401);
    const list = (await hub.app.inject({ url: `/v1/organisations/${organisation.id}/tokens`, headers: admin })).json().items;
    expect(list[0].revokedAt).toEqual(expect.any(String));
  });

  it('revoking a token twice is a 404 the second time', async () => {
    const { organisation } = await organisationWithToken(hub.app, ['publish']);
    const [info] = (await hub.app.inject({ url: `/v1/organisations/${organisation.id}/tokens`, headers: admin })).json().items;
    const url = `/v1/organisations/${organisation.id}/tokens/${info.id}`;
    expect((await hub.app.inject({ method: 'DELETE', url, headers: admin })).statusCode).toBe(204);
    expectProblem(await hub.app.inject({ method: 'DELETE', url, headers: admin }), 404);
  });

  it('a token cannot be revoked through another organisation', async () => {
    const owner = await organisationWithToken(hub.app, ['publish']);
    const other = await createOrganisation(hub.app, { name: 'Fremde Stadt', kind: 'municipality' });
    const [info] = (await hub.app.inject({ url: `/v1/organisations/${owner.organisation.id}/tokens`, headers: admin })).json().items;
    expectProblem(await hub.app.inject({ method: 'DELETE', url: `/v1/organisations/${other.id}/tokens/${info.id}`, headers: admin }), 404);
    expect((await useToken(owner.organisation.id, owner.token)).statusCode).toBe(200);
  });

  it('a token id that is no uuid is a 400', async () => {
    const org = await createOrganisation(hub.app, { name: 'Uuidstadt', kind: 'municipality' });
    expectProblem(await hub.app.inject({ method: 'DELETE', url: `/v1/organisations/${org.id}/tokens/abc`, headers: admin }), 400);
  });

  it('only the admin revokes: the token itself cannot revoke its sibling', async () => {
    const { organisation, token } = await organisationWithToken(hub.app, ['publish', 'reuse']);
    const sibling = (await createToken(organisation.id, { scopes: ['reuse'] })).json();
    const url = `/v1/organisations/${organisation.id}/tokens/${sibling.id}`;
    expectProblem(await hub.app.inject({ method: 'DELETE', url, headers: bearer(token) }), 403);
  });
});
