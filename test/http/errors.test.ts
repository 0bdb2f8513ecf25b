import { connect, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, bearer, createTestHub, organisationWithToken, type TestHub } from '../helpers/hub';
import { expectProblem, problemFields, publisherWithSoftware } from './fixtures';

let hub: TestHub;
beforeAll(async () => {
  // 2 KiB: small enough to exceed with one field, large enough for every ordinary body here.
  hub = await createTestHub({ HUB_BODY_LIMIT: '2048' });
});
afterAll(async () => hub?.close());

describe('validation errors', () => {
  it('a body missing required fields is a problem+json 400 listing each missing field', async () => {
    const response = await hub.app.inject({ method: 'POST', url: '/v1/organisations', headers: admin, payload: {} });
    const problem = expectProblem(response, 400);
    expect(problem.type).toBe('https://transferhub.eu/problems/validation');
    expect(problem.title).toBe('Validation failed');
    expect(problemFields(response).sort()).toEqual(['body/kind', 'body/name']);
  });

  it('every invalid field is reported at once, each with a message', async () => {
    const response = await hub.app.inject({
      method: 'POST',
      url: '/v1/organisations',
      headers: admin,
      payload: { name: '', kind: 'village', cohortYear: 1800, website: 'not a url' },
    });
    const problem = expectProblem(response, 400);
    expect(new Set(problemFields(response))).toEqual(new Set(['body/name', 'body/kind', 'body/cohortYear', 'body/website']));
    for (const error of problem.errors!) expect(error.message).not.toBe('');
  });

  it('a value outside an enum is reported with the allowed values named', async () => {
    const response = await hub.app.inject({
      method: 'POST',
      url: '/v1/organisations',
      headers: admin,
      payload: { name: 'Dorf', kind: 'village', codeHosting: [{ url: 'https://git.example.org', kind: 'svn' }] },
    });
    expectProblem(response, 400);
    expect(response.json().errors).toEqual([
      { field: 'body/kind', message: 'must be one of: municipality, county, municipal_association, regional_association, state, federal, company, other' },
      { field: 'body/codeHosting/0/kind', message: 'must be one of: github, gitlab, gitea, git' },
    ]);
  });

  it('a missing property that takes a value list names the values it accepts', async () => {
    const response = await hub.app.inject({ method: 'POST', url: '/v1/organisations', headers: admin, payload: { name: 'Musterstadt' } });
    expectProblem(response, 400);
    expect(response.json().errors).toEqual([
      { field: 'body/kind', message: 'is required and must be one of: municipality, county, municipal_association, regional_association, state, federal, company, other' },
    ]);
  });

  it('a nullable enum names its allowed values and null, once', async () => {
    const { organisation, token } = await organisationWithToken(hub.app, ['publish']);
    const response = await hub.app.inject({
      method: 'POST',
      url: '/v1/software',
      headers: bearer(token),
      payload: { name: 'Statuslos', organisationId: organisation.id, developmentStatus: 'alpha' },
    });
    expectProblem(response, 400);
    expect(response.json().errors).toEqual([
      { field: 'body/developmentStatus', message: 'must be one of: concept, development, beta, stable, obsolete, null' },
    ]);
  });

  it('a nullable field that fails its check says so once, with "(or null)", without the anyOf noise', async () => {
    const response = await hub.app.inject({
      method: 'POST',
      url: '/v1/organisations',
      headers: admin,
      payload: { name: 'Altstadt', kind: 'municipality', cohortYear: 1800 },
    });
    expectProblem(response, 400);
    expect(response.json().errors).toEqual([{ field: 'body/cohortYear', message: 'must be >= 1990 (or null)' }]);
  });

  it('an enum in the query string names its allowed values too', async () => {
    const response = await hub.app.inject('/v1/organisations?kind=municipality&kind=town');
    expectProblem(response, 400);
    expect(response.json().errors).toEqual([
      { field: 'querystring/kind/1', message: 'must be one of: municipality, county, municipal_association, regional_association, state, federal, company, other' },
    ]);
  });

  it('an unknown property is rejected and named, not silently dropped', async () => {
    const response = await hub.app.inject({
      method: 'POST',
      url: '/v1/organisations',
      headers: admin,
      payload: { name: 'Tippfehler', kind: 'municipality', websiet: 'https://example.org' },
    });
    const problem = expectProblem(response, 400);
    expect(problem.errors).toEqual([{ field: 'body/websiet', message: 'unknown property "websiet"' }]);
    const list = (await hub.app.inject('/v1/organisations')).json();
    expect(list.items.map((o: { name: string }) => o.name)).not.toContain('Tippfehler');
  });

  it('an unknown query parameter is rejected', async () => {
    const response = await hub.app.inject('/v1/organisations?order=name');
    expectProblem(response, 400);
    expect(problemFields(response)).toEqual(['querystring/order']);
  });

  it('an invalid SPDX licence expression is a 400 naming the licence field', async () => {
    const { organisation, token } = await organisationWithToken(hub.app, ['publish']);
    const response = await hub.app.inject({
      method: 'POST',
      url: '/v1/software',
      headers: bearer(token),
      payload: { name: 'Lizenzlos', organisationId: organisation.id, licence: 'Apache-2' },
    });
    expectProblem(response, 400);
    expect(problemFields(response)).toEqual(['/licence']);
  });
});

describe('pagination parameters', () => {
  it('a cursor the API did not hand out is a 400 naming the cursor', async () => {
    for (const cursor of ['abc', '%25%25%25', Buffer.from('{"a":1}').toString('base64url'), Buffer.from('[1,2]').toString('base64url')]) {
      const response = await hub.app.inject(`/v1/organisations?cursor=${cursor}`);
      expectProblem(response, 400);
      expect(problemFields(response)).toEqual(['cursor']);
    }
  });

  it('a limit outside 1 to 100 is a 400 naming the limit', async () => {
    for (const limit of ['0', '101', '-1', 'zehn', '2.5']) {
      for (const path of ['/v1/organisations', '/v1/software']) {
        const response = await hub.app.inject(`${path}?limit=${limit}`);
        expectProblem(response, 400);
        expect(problemFields(response)).toEqual(['querystring/limit']);
      }
    }
  });

  it('the limits 1 and 100 themselves are accepted', async () => {
    expect((await hub.app.inject('/v1/organisations?limit=1')).statusCode).toBe(200);
    expect((await hub.app.inject('/v1/organisations?limit=100')).statusCode).toBe(200);
  });
});

describe('bodies the API cannot read', () => {
  it('a body over HUB_BODY_LIMIT is a problem+json 413', async () => {
    const response = await hub.app.inject({
      method: 'POST',
      url: '/v1/organisations',
      headers: admin,
      payload: { name: 'x'.repeat(4000), kind: 'municipality' },
    });
    const problem = expectProblem(response, 413);
    expect(problem.type).toBe('https://transferhub.eu/problems/payload-too-large');
  });

  it('a body just under HUB_BODY_LIMIT is read', async () => {
    const response = await hub.app.inject({
      method: 'POST',
      url: '/v1/organisations',
      headers: admin,
      payload: { name: 'Grenzfall', kind: 'municipality', programme: 'x'.repeat(100), state: 'y'.repeat(200) },
    });
    expect(response.statusCode, response.body).toBe(201);
  });

  it('broken JSON is a problem+json 400', async () => {
    for (const payload of ['{"name":', 'nicht json', '{"name":"a",}', '']) {
      const response = await hub.app.inject({
        method: 'POST',
        url: '/v1/organisations',
        headers: { ...admin, 'content-type': 'application/json' },
        payload,
      });
      expectProblem(response, 400);
    }
  });

  it('a JSON value that is not an object is a 400', async () => {
    for (const payload of ['[]', '"text"', '42', 'null']) {
      const response = await hub.app.inject({
        method: 'POST',
        url: '/v1/organisations',
        headers: { ...admin, 'content-type': 'application/json' },
        payload,
      });
      expectProblem(response, 400);
    }
  });

  it('a body in an unsupported media type is a 415', async () => {
    const response = await hub.app.inject({
      method: 'POST',
      url: '/v1/organisations',
      headers: { ...admin, 'content-type': 'application/xml' },
      payload: '<organisation/>',
    });
    expectProblem(response, 415);
  });

  it('a __proto__ key is refused, not merged into objects', async () => {
    const response = await hub.app.inject({
      method: 'POST',
      url: '/v1/organisations',
      headers: { ...admin, 'content-type': 'application/json' },
      payload: '{"name":"Proto","kind":"municipality","__proto__":{"kind":"state"}}',
    });
    expectProblem(response, 400);
  });
});

describe('values the database cannot store', () => {
  it('a NUL character in a text field is a 400, not a 500', async () => {
    const response = await hub.app.inject({
      method: 'POST',
      url: '/v1/organisations',
      headers: admin,
      payload: { name: 'Null\u0000stadt', kind: 'municipality' },
    });
    expectProblem(response, 400);
  });

  it('a NUL character in a slug in the path or a filter is a 4xx, not a 500', async () => {
    for (const url of ['/v1/organisations/a%00b', '/v1/software/a%00b', '/v1/software/a%00b/releases', '/v1/organisations?state=%00']) {
      const response = await hub.app.inject(url);
      expect(response.statusCode, `${url}: ${response.body}`).toBeGreaterThanOrEqual(400);
      expect(response.statusCode, `${url}: ${response.body}`).toBeLessThan(500);
    }
  });

  it('a release date before the years PostgreSQL can hold is a 400', async () => {
    const { token, software } = await publisherWithSoftware(hub.app);
    const response = await hub.app.inject({
      method: 'POST',
      url: `/v1/software/${software.id}/releases`,
      headers: bearer(token),
      payload: { version: '1.0.0', date: '-010000-01-01' },
    });
    expectProblem(response, 400);
  });

  it('a reuse starting in the year 0 is a 400', async () => {
    const { software } = await publisherWithSoftware(hub.app);
    const reuser = await organisationWithToken(hub.app, ['reuse']);
    const response = await hub.app.inject({
      method: 'POST',
      url: `/v1/software/${software.id}/reuses`,
      headers: bearer(reuser.token),
      payload: { status: 'piloting', since: '0000-01-01' },
    });
    expectProblem(response, 400);
  });
});

describe('unknown routes and methods', () => {
  it('an unknown path is a problem+json 404', async () => {
    const problem = expectProblem(await hub.app.inject('/v2/nothing'), 404);
    expect(problem.type).toBe('https://transferhub.eu/problems/not-found');
  });

  it('a path parameter longer than the router allows is a problem+json 414', async () => {
    const problem = expectProblem(await hub.app.inject(`/v1/software/${'x'.repeat(250)}`), 414);
    expect(problem.type).toBe('https://transferhub.eu/problems/uri-too-long');
  });

  it('a path that is not valid percent-encoding is a problem+json 400', async () => {
    expectProblem(await hub.app.inject('/v1/organisations/%E0%A4%A'), 400);
  });

  it('raw UTF-8 in the request line, which the HTTP parser rejects, is a problem+json 400 on the wire', async () => {
    // inject() bypasses Node's parser: this needs a real socket.
    await hub.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = hub.app.server.address() as AddressInfo;
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => socket.end(Buffer.from('GET /v1/software?q=Mängelmelder HTTP/1.1\r\nHost: hub\r\n\r\n', 'utf8')));
      let text = '';
      socket.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    const [head, body] = answer.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 400 /);
    expect(head).toContain('Content-Type: application/problem+json');
    expect(JSON.parse(body!)).toMatchObject({ type: 'https://transferhub.eu/problems/bad-request', status: 400, detail: expect.stringContaining('percent-encoded') });
  });

  it('a method the path does not have is a 404 problem, not a 500', async () => {
    expectProblem(await hub.app.inject({ method: 'PUT', url: '/v1/organisations', headers: admin, payload: {} }), 404);
  });
});

describe('unexpected failures', () => {
  it('a failing database is answered as a plain 500 with the request id, without internals', async () => {
    const broken = await createTestHub();
    try {
      await broken.deps.database.close();
      const response = await broken.app.inject({ url: '/v1/organisations', headers: { 'x-request-id': 'req-kaputt' } });
      const problem = expectProblem(response, 500);
      expect(problem.detail).toContain('req-kaputt');
      expect(response.body).not.toMatch(/pool|postgres|sql|Error:/i);
    } finally {
      await broken.close();
    }
  });
});
