import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, ADMIN_TOKEN, bearer, createTestHub, organisationWithToken, type TestHub } from '../helpers/hub';
import { createOrganisation, createSoftware, expectProblem, queryDatabase } from './fixtures';

/*
 * The authorisation matrix of every route that needs a token: none → 401, malformed,
 * unknown or revoked → 401, another organisation → 403, missing scope → 403, the
 * organisation's own token with the scope → allowed, the admin token → allowed.
 * Every case prepares fresh data, so "allowed" never collides with an earlier case.
 */
let hub: TestHub;

type Headers = Record<string, string>;
type Request = { method: 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'GET'; url: string; payload?: Record<string, unknown> };

/** The organisation a write is about, with one token per scope; and a stranger holding every scope but admin. */
type Actors = {
  owner: { id: string; slug: string };
  ownerPublish: string;
  ownerReuse: string;
  ownerPublishReuse: string;
  revoked: string;
  /** The owner's token with every scope stored, admin included. */
  ownerAdmin: string;
  stranger: { id: string; slug: string };
  strangerPublishReuse: string;
  /** A stranger's token with every scope stored, admin included. */
  strangerAdmin: string;
};
let actors: Actors;

type Route = {
  name: string;
  /** 'publish-or-reuse': either scope of the organisation's tokens will do (needs). */
  scope: 'admin' | 'publish' | 'reuse' | 'publish-or-reuse';
  status: number;
  prepare(): Promise<Request>;
};

let counter = 0;
const unique = (prefix: string) => `${prefix} ${++counter} ${Math.random().toString(36).slice(2, 6)}`;

async function ownerSoftware() {
  return createSoftware(hub.app, actors.ownerPublish, { organisationId: actors.owner.id, name: unique('Matrix-Software') });
}

/** Software of a third organisation, which the owner reuses. */
async function foreignSoftware() {
  const publisher = await createOrganisation(hub.app, { name: unique('Herausgeberin'), kind: 'municipality' });
  return createSoftware(hub.app, ADMIN_TOKEN, { organisationId: publisher.id, name: unique('Fremde Software') });
}

async function ownerReuseRecord() {
  const software = await foreignSoftware();
  const response = await hub.app.inject({
    method: 'POST',
    url: `/v1/software/${software.id}/reuses`,
    headers: admin,
    payload: { status: 'piloting', organisationId: actors.owner.id },
  });
  if (response.statusCode !== 201) throw new Error(response.body);
  return { softwareId: software.id as string, reuseId: response.json().id as string };
}

/** A third organisation's reuse of the owner's software (what the owner, as producer, confirms or disputes). */
async function reuseOfOwnerSoftware() {
  const software = await ownerSoftware();
  const reuser = await createOrganisation(hub.app, { name: unique('Nachnutzerin'), kind: 'municipality' });
  const response = await hub.app.inject({
    method: 'POST',
    url: `/v1/software/${software.id}/reuses`,
    headers: admin,
    payload: { status: 'production', organisationId: reuser.id },
  });
  if (response.statusCode !== 201) throw new Error(response.body);
  return { softwareId: software.id, reuseId: response.json().id as string };
}

/** An experience report by a third organisation on its reuse of the owner's software. */
async function reportOnOwnerSoftware() {
  const { softwareId, reuseId } = await reuseOfOwnerSoftware();
  const response = await hub.app.inject({ method: 'POST', url: `/v1/software/${softwareId}/reuses/${reuseId}/experience-reports`, headers: admin, payload: { recommendation: 4 } });
  if (response.statusCode !== 201) throw new Error(response.body);
  return { softwareId, reportId: response.json().id as string };
}

/** The same report, hidden by the admin (what the admin may unhide). */
async function hiddenReportOnOwnerSoftware() {
  const { softwareId, reportId } = await reportOnOwnerSoftware();
  const response = await hub.app.inject({ method: 'POST', url: `/v1/software/${softwareId}/experience-reports/${reportId}/hide`, headers: admin, payload: { reason: 'Beleidigend' } });
  if (response.statusCode !== 204) throw new Error(response.body);
  return { softwareId, reportId };
}

/** A need posted by the owner (through the admin, so the matrix's tokens start from the same state). */
async function ownerNeed() {
  const response = await hub.app.inject({ method: 'POST', url: '/v1/needs', headers: admin, payload: { title: unique('Bedarf'), description: 'Matrix', organisationId: actors.owner.id } });
  if (response.statusCode !== 201) throw new Error(response.body);
  return response.json().id as string;
}

/** A third organisation's need, optionally joined by the owner already. */
async function foreignNeed(joinedByOwner = false) {
  const poster = await createOrganisation(hub.app, { name: unique('Bedarfsstadt'), kind: 'municipality' });
  const response = await hub.app.inject({ method: 'POST', url: '/v1/needs', headers: admin, payload: { title: unique('Fremder Bedarf'), description: 'Matrix', organisationId: poster.id } });
  if (response.statusCode !== 201) throw new Error(response.body);
  const id = response.json().id as string;
  if (joinedByOwner) {
    const joined = await hub.app.inject({ method: 'POST', url: `/v1/needs/${id}/supporters`, headers: admin, payload: { organisationId: actors.owner.id } });
    if (joined.statusCode !== 201) throw new Error(joined.body);
  }
  return id;
}

/** A repository of the owner, on a closed loopback port (its queued crawl fails at once, offline). */
async function ownerRepositoryId(purpose: string): Promise<string> {
  const registered = await hub.app.inject({
    method: 'POST',
    url: '/v1/repositories',
    headers: admin,
    payload: { url: `http://127.0.0.1:9/matrix/${purpose}-${++counter}`, organisationId: actors.owner.id },
  });
  return registered.json().id;
}

async function ownerTokenId() {
  const response = await hub.app.inject({ method: 'POST', url: `/v1/organisations/${actors.owner.id}/tokens`, headers: admin, payload: { scopes: ['reuse'] } });
  return response.json().id as string;
}

const routes: Route[] = [
  {
    name: 'POST /v1/organisations',
    scope: 'admin',
    status: 201,
    prepare: async () => ({ method: 'POST', url: '/v1/organisations', payload: { name: unique('Neue Stadt'), kind: 'municipality' } }),
  },
  {
    name: 'PATCH /v1/organisations/{id}',
    scope: 'publish',
    status: 200,
    prepare: async () => ({ method: 'PATCH', url: `/v1/organisations/${actors.owner.id}`, payload: { website: 'https://example.org' } }),
  },
  {
    name: 'POST /v1/software',
    scope: 'publish',
    status: 201,
    prepare: async () => ({ method: 'POST', url: '/v1/software', payload: { name: unique('Neue Software'), organisationId: actors.owner.id } }),
  },
  {
    name: 'PATCH /v1/software/{id}',
    scope: 'publish',
    status: 200,
    prepare: async () => ({ method: 'PATCH', url: `/v1/software/${(await ownerSoftware()).id}`, payload: { licence: 'MIT' } }),
  },
  {
    name: 'DELETE /v1/software/{id}',
    scope: 'publish',
    status: 204,
    prepare: async () => ({ method: 'DELETE', url: `/v1/software/${(await ownerSoftware()).slug}` }),
  },
  {
    name: 'POST /v1/repositories',
    scope: 'publish',
    status: 202,
    prepare: async () => ({
      method: 'POST',
      url: '/v1/repositories',
      payload: { url: `http://127.0.0.1:9/matrix/repo-${++counter}`, organisationId: actors.owner.slug },
    }),
  },
  {
    name: 'POST /v1/software/{id}/releases',
    scope: 'publish',
    status: 201,
    prepare: async () => ({ method: 'POST', url: `/v1/software/${(await ownerSoftware()).id}/releases`, payload: { version: '1.0.0' } }),
  },
  {
    name: 'POST /v1/software/{id}/reuses',
    scope: 'reuse',
    status: 201,
    // Names the owner explicitly, so a stranger's token is refused rather than recording for itself.
    prepare: async () => ({
      method: 'POST',
      url: `/v1/software/${(await foreignSoftware()).id}/reuses`,
      payload: { status: 'evaluating', organisationId: actors.owner.id },
    }),
  },
  {
    name: 'PATCH /v1/software/{id}/reuses/{reuseId}',
    scope: 'reuse',
    status: 200,
    prepare: async () => {
      const { softwareId, reuseId } = await ownerReuseRecord();
      return { method: 'PATCH', url: `/v1/software/${softwareId}/reuses/${reuseId}`, payload: { status: 'production' } };
    },
  },
  {
    name: 'DELETE /v1/software/{id}/reuses/{reuseId}',
    scope: 'reuse',
    status: 204,
    prepare: async () => {
      const { softwareId, reuseId } = await ownerReuseRecord();
      return { method: 'DELETE', url: `/v1/software/${softwareId}/reuses/${reuseId}` };
    },
  },
  {
    name: 'PUT /v1/software/{id}/transfer-package/{kind}',
    scope: 'publish',
    status: 200,
    prepare: async () => ({ method: 'PUT', url: `/v1/software/${(await ownerSoftware()).id}/transfer-package/operations-manual`, payload: { url: 'https://example.org/betrieb' } }),
  },
  {
    name: 'DELETE /v1/software/{id}/transfer-package/{kind}',
    scope: 'publish',
    status: 204,
    prepare: async () => {
      const url = `/v1/software/${(await ownerSoftware()).id}/transfer-package/procurement`;
      const declared = await hub.app.inject({ method: 'PUT', url, headers: admin, payload: { url: 'https://example.org/vergabe' } });
      if (declared.statusCode !== 200) throw new Error(declared.body);
      return { method: 'DELETE', url };
    },
  },
  {
    name: 'POST /v1/software/{id}/reuses/{reuseId}/confirmation',
    scope: 'publish',
    status: 200,
    prepare: async () => {
      const { softwareId, reuseId } = await reuseOfOwnerSoftware();
      return { method: 'POST', url: `/v1/software/${softwareId}/reuses/${reuseId}/confirmation` };
    },
  },
  {
    name: 'POST /v1/software/{id}/reuses/{reuseId}/dispute',
    scope: 'publish',
    status: 200,
    prepare: async () => {
      const { softwareId, reuseId } = await reuseOfOwnerSoftware();
      return { method: 'POST', url: `/v1/software/${softwareId}/reuses/${reuseId}/dispute`, payload: { reason: 'Nicht bekannt' } };
    },
  },
  {
    name: 'POST /v1/software/{id}/reuses/{reuseId}/experience-reports',
    scope: 'reuse',
    status: 201,
    prepare: async () => {
      const { softwareId, reuseId } = await ownerReuseRecord();
      return { method: 'POST', url: `/v1/software/${softwareId}/reuses/${reuseId}/experience-reports`, payload: { recommendation: 4, hosting: 'public cloud' } };
    },
  },
  {
    name: 'POST /v1/software/{id}/experience-reports/{reportId}/answer',
    scope: 'publish',
    status: 200,
    prepare: async () => {
      const { softwareId, reportId } = await reportOnOwnerSoftware();
      return { method: 'POST', url: `/v1/software/${softwareId}/experience-reports/${reportId}/answer`, payload: { answer: 'Danke!' } };
    },
  },
  {
    name: 'POST /v1/software/{id}/experience-reports/{reportId}/hide',
    scope: 'admin',
    status: 204,
    prepare: async () => {
      const { softwareId, reportId } = await reportOnOwnerSoftware();
      return { method: 'POST', url: `/v1/software/${softwareId}/experience-reports/${reportId}/hide`, payload: { reason: 'Beleidigend' } };
    },
  },
  {
    name: 'POST /v1/software/{id}/experience-reports/{reportId}/unhide',
    scope: 'admin',
    status: 204,
    prepare: async () => {
      const { softwareId, reportId } = await hiddenReportOnOwnerSoftware();
      return { method: 'POST', url: `/v1/software/${softwareId}/experience-reports/${reportId}/unhide`, payload: { reason: 'Nach Prüfung nicht beleidigend' } };
    },
  },
  {
    name: 'POST /v1/needs',
    scope: 'publish-or-reuse',
    status: 201,
    prepare: async () => ({ method: 'POST', url: '/v1/needs', payload: { title: unique('Neuer Bedarf'), description: 'Matrix', organisationId: actors.owner.id } }),
  },
  {
    name: 'PATCH /v1/needs/{id}',
    scope: 'publish-or-reuse',
    status: 200,
    prepare: async () => ({ method: 'PATCH', url: `/v1/needs/${await ownerNeed()}`, payload: { status: 'in_progress' } }),
  },
  {
    name: 'POST /v1/needs/{id}/supporters',
    scope: 'publish-or-reuse',
    status: 201,
    prepare: async () => ({ method: 'POST', url: `/v1/needs/${await foreignNeed()}/supporters`, payload: { organisationId: actors.owner.id } }),
  },
  {
    name: 'DELETE /v1/needs/{id}/supporters/{organisationId}',
    scope: 'publish-or-reuse',
    status: 204,
    prepare: async () => ({ method: 'DELETE', url: `/v1/needs/${await foreignNeed(true)}/supporters/${actors.owner.id}` }),
  },
  {
    name: 'POST /v1/repositories/{id}/crawl',
    scope: 'publish',
    status: 202,
    prepare: async () => ({ method: 'POST', url: `/v1/repositories/${await ownerRepositoryId('crawl')}/crawl` }),
  },
  {
    name: 'DELETE /v1/repositories/{id}',
    scope: 'publish',
    status: 204,
    prepare: async () => ({ method: 'DELETE', url: `/v1/repositories/${await ownerRepositoryId('delete')}` }),
  },
  {
    name: 'POST /v1/organisations/{id}/discover',
    scope: 'publish',
    status: 202,
    // The owner has no code-hosting accounts, so the queued discovery has nothing to contact.
    prepare: async () => ({ method: 'POST', url: `/v1/organisations/${actors.owner.id}/discover`, payload: {} }),
  },
  {
    name: 'PUT /v1/organisations/{id}/webhook-secret',
    scope: 'admin',
    status: 204,
    prepare: async () => ({ method: 'PUT', url: `/v1/organisations/${actors.owner.id}/webhook-secret`, payload: { secret: 'geheim-geheim-geheim' } }),
  },
  {
    name: 'POST /v1/organisations/{id}/tokens',
    scope: 'admin',
    status: 201,
    prepare: async () => ({ method: 'POST', url: `/v1/organisations/${actors.owner.id}/tokens`, payload: { scopes: ['publish'] } }),
  },
  {
    name: 'GET /v1/organisations/{id}/tokens',
    scope: 'admin',
    status: 200,
    prepare: async () => ({ method: 'GET', url: `/v1/organisations/${actors.owner.id}/tokens` }),
  },
  {
    name: 'DELETE /v1/organisations/{id}/tokens/{tokenId}',
    scope: 'admin',
    status: 204,
    prepare: async () => ({ method: 'DELETE', url: `/v1/organisations/${actors.owner.id}/tokens/${await ownerTokenId()}` }),
  },
];

async function send(request: Request, headers: Headers) {
  return hub.app.inject({ method: request.method, url: request.url, headers, ...(request.payload ? { payload: request.payload } : {}) });
}

/** The owner's token that has the route's scope, and one of the owner's that lacks it. */
function ownerTokens(route: Route): { withScope: string | null; withoutScope: string | null } {
  // Every token holds publish or reuse: none of the organisation's lacks what such a route needs.
  if (route.scope === 'publish-or-reuse') return { withScope: actors.ownerReuse, withoutScope: null };
  if (route.scope === 'publish') return { withScope: actors.ownerPublish, withoutScope: actors.ownerReuse };
  if (route.scope === 'reuse') return { withScope: actors.ownerReuse, withoutScope: actors.ownerPublish };
  return { withScope: null, withoutScope: actors.ownerPublishReuse };
}

/** The API no longer issues the admin scope; tokens issued before still hold it in the database. */
async function grantStoredAdminScope(tokenId: string) {
  await queryDatabase(hub, "update api_token set scopes = array['publish', 'reuse', 'admin'] where id = $1", [tokenId]);
}

const auditCount = async () => Number((await queryDatabase<{ n: string }>(hub, 'select count(*) as n from audit_event'))[0]!.n);

/** Audit rows written by one token, or (null) by the admin token from the environment. */
const auditBy = async (tokenId: string | null) =>
  Number(
    (await queryDatabase<{ n: string }>(hub, 'select count(*) as n from audit_event where token_id is not distinct from $1', [tokenId]))[0]!.n,
  );

/** The stored id of a token the matrix holds (each token's hash is unique, so its prefix finds it). */
const tokenIds = new Map<string, string>();

/**
 * An allowed request, and for a write the audit row it must leave naming the acting token (or the
 * admin); GET /v1/organisations/{id}/tokens is the matrix's one read and writes nothing.
 */
async function expectAllowedAndAudited(route: Route, token: string | null) {
  const request = await route.prepare();
  const actor = token === null ? null : tokenIds.get(token)!;
  const before = await auditBy(actor);
  const response = await send(request, token === null ? admin : bearer(token));
  expect(response.statusCode, response.body).toBe(route.status);
  if (request.method !== 'GET') expect(await auditBy(actor), `${route.name} leaves an audit row`).toBeGreaterThan(before);
}

beforeAll(async () => {
  hub = await createTestHub();
  const publish = await organisationWithToken(hub.app, ['publish'], 'Matrixstadt');
  const tokenFor = async (scopes: string[]) =>
    (await hub.app.inject({ method: 'POST', url: `/v1/organisations/${publish.organisation.id}/tokens`, headers: admin, payload: { scopes } })).json() as {
      id: string;
      token: string;
    };
  const reuse = await tokenFor(['reuse']);
  const both = await tokenFor(['publish', 'reuse']);
  const revoked = await tokenFor(['publish', 'reuse']);
  await hub.app.inject({ method: 'DELETE', url: `/v1/organisations/${publish.organisation.id}/tokens/${revoked.id}`, headers: admin });
  const stranger = await organisationWithToken(hub.app, ['publish', 'reuse'], 'Fremdstadt');
  const ownerAdmin = await tokenFor(['publish', 'reuse']);
  await grantStoredAdminScope(ownerAdmin.id);
  const strangerAdmin = await organisationWithToken(hub.app, ['publish', 'reuse'], 'Fremdstadt mit Admin-Scope');
  const [strangerAdminInfo] = (await hub.app.inject({ url: `/v1/organisations/${strangerAdmin.organisation.id}/tokens`, headers: admin })).json().items;
  await grantStoredAdminScope(strangerAdminInfo.id);
  const stored = await queryDatabase<{ id: string; scopes: string[] }>(hub, 'select id, scopes from api_token where organisation_id = $1 and revoked_at is null', [publish.organisation.id]);
  tokenIds.set(publish.token, stored.find((t) => t.scopes.join() === 'publish')!.id);
  tokenIds.set(reuse.token, reuse.id);
  actors = {
    owner: publish.organisation,
    ownerPublish: publish.token,
    ownerReuse: reuse.token,
    ownerPublishReuse: both.token,
    revoked: revoked.token,
    ownerAdmin: ownerAdmin.token,
    stranger: stranger.organisation,
    strangerPublishReuse: stranger.token,
    strangerAdmin: strangerAdmin.token,
  };
});
afterAll(async () => hub?.close());

describe('the matrix', () => {
  it('covers every operation the OpenAPI document marks as needing a bearer token', async () => {
    const doc = (await hub.app.inject('/openapi.json')).json() as {
      paths: Record<string, Record<string, { security?: unknown[] }>>;
    };
    // The audit log is a read that every token may make, answered with what that token may see
    // (test/http/audit-events.test.ts), not a write this matrix refuses to strangers.
    const scopedReads = ['GET /v1/audit-events'];
    // Webhook subscriptions (publish or reuse token, by event) have their matrix beside their
    // scope rules in test/http/webhooks.test.ts ("who may do what") and webhook-deliveries.test.ts.
    const ownMatrix = (path: string) => path.startsWith('/v1/webhooks/') || path === '/v1/organisations/{id}/webhooks';
    const guarded = Object.entries(doc.paths).flatMap(([path, operations]) =>
      Object.entries(operations)
        .filter(([method, operation]) => operation.security?.length && !scopedReads.includes(`${method.toUpperCase()} ${path}`) && !ownMatrix(path))
        .map(([method]) => `${method.toUpperCase()} ${path}`),
    );
    expect(guarded.sort()).toEqual(routes.map((r) => r.name).sort());
  });
});

describe.each(routes)('$name', (route) => {
  it('without a token is a 401 problem', async () => {
    const problem = expectProblem(await send(await route.prepare(), {}), 401);
    expect(problem.type).toBe('https://transferhub.eu/problems/unauthorized');
  });

  it('with a malformed Authorization header is a 401', async () => {
    const request = await route.prepare();
    for (const authorization of ['Basic dXNlcjpwYXNz', 'Bearer', 'Bearer ', `Bearer ${actors.ownerPublish} extra`, actors.ownerPublish, 'Token abc']) {
      expectProblem(await send(request, { authorization }), 401);
    }
  });

  it('with an unknown token is a 401', async () => {
    const request = await route.prepare();
    expectProblem(await send(request, bearer('thub_unknownunknownunknownunknownunknown0000')), 401);
    expectProblem(await send(request, bearer('not-even-our-format')), 401);
  });

  it('with a revoked token is a 401', async () => {
    expectProblem(await send(await route.prepare(), bearer(actors.revoked)), 401);
  });

  it('with a token of another organisation is a 403 and changes nothing', async () => {
    const request = await route.prepare();
    const before = await auditCount();
    expectProblem(await send(request, bearer(actors.strangerPublishReuse)), 403);
    expect(await auditCount()).toBe(before);
  });

  if (route.scope !== 'publish-or-reuse') {
    it('with a token of the organisation that lacks the scope is a 403 and changes nothing', async () => {
      const request = await route.prepare();
      const before = await auditCount();
      expectProblem(await send(request, bearer(ownerTokens(route).withoutScope!)), 403);
      expect(await auditCount()).toBe(before);
    });
  }

  if (route.scope !== 'admin') {
    it(`with the organisation's own ${route.scope} token is allowed (${route.status}) and audited under that token`, async () => {
      await expectAllowedAndAudited(route, ownerTokens(route).withScope!);
    });
  }

  if (route.scope === 'publish-or-reuse') {
    it(`with the organisation's own publish token is allowed too (${route.status}) and audited under that token`, async () => {
      await expectAllowedAndAudited(route, actors.ownerPublish);
    });
  }

  it(`with the admin token (HUB_ADMIN_TOKEN) is allowed (${route.status}) and audited as the admin`, async () => {
    await expectAllowedAndAudited(route, null);
  });

  // Issue 10 #9: admin is the hub operator's role (HUB_ADMIN_TOKEN); an organisation's token
  // that carries the admin scope (issued before that rule) is no admin anywhere.
  it("with another organisation's token that carries the admin scope is a 403 and changes nothing", async () => {
    const request = await route.prepare();
    const before = await auditCount();
    expectProblem(await send(request, bearer(actors.strangerAdmin)), 403);
    expect(await auditCount()).toBe(before);
  });

  if (route.scope === 'admin') {
    it("with the organisation's own token that carries the admin scope is a 403 too", async () => {
      expectProblem(await send(await route.prepare(), bearer(actors.ownerAdmin)), 403);
    });
  }
});

describe('reads', () => {
  it('are public: every GET answers without a token', async () => {
    const software = await ownerSoftware();
    for (const url of [
      '/v1/organisations',
      `/v1/organisations/${actors.owner.slug}`,
      `/v1/organisations/${actors.owner.id}/reuses`,
      '/v1/software',
      `/v1/software/${software.slug}`,
      `/v1/software/${software.id}/releases`,
      `/v1/software/${software.id}/reuses`,
      '/health',
    ]) {
      expect((await hub.app.inject(url)).statusCode, url).toBe(200);
    }
  });

  it('a valid token on a read is fine and the token is marked as used', async () => {
    const holder = await organisationWithToken(hub.app, ['reuse']);
    expect((await hub.app.inject({ url: '/v1/organisations', headers: bearer(holder.token) })).statusCode).toBe(200);
    const [token] = (await hub.app.inject({ url: `/v1/organisations/${holder.organisation.id}/tokens`, headers: admin })).json().items;
    expect(token.lastUsedAt).toEqual(expect.any(String));
  });
});
