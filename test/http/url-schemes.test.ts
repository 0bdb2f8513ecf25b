import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, bearer, createTestHub, type TestHub } from '../helpers/hub';
import { createOrganisation, expectProblem, problemFields, publisherWithSoftware } from './fixtures';

let hub: TestHub;
beforeAll(async () => {
  hub = await createTestHub();
});
afterAll(async () => hub?.close());

/** Links a web page will render as <a href>: each would run script or load foreign content when clicked. */
const hostile = ['javascript:alert(1)', 'JavaScript:alert(document.cookie)', 'data:text/html,<script>alert(1)</script>', 'vbscript:msgbox(1)', 'ftp://example.org/x'];

describe('links a web page renders are http(s) only', () => {
  it.each(hostile)('an organisation website %s is a 400 naming the field and no organisation is stored', async (website) => {
    const name = `Linkstadt ${Math.random().toString(36).slice(2, 8)}`;
    const response = await hub.app.inject({ method: 'POST', url: '/v1/organisations', headers: admin, payload: { name, kind: 'municipality', website } });
    expectProblem(response, 400);
    expect(problemFields(response)).toEqual(['body/website']);
    const list = (await hub.app.inject(`/v1/organisations?limit=100`)).json() as { items: { name: string }[] };
    expect(list.items.map((org) => org.name)).not.toContain(name);
  });

  it('a code hosting account with a javascript: URL is a 400 naming that entry', async () => {
    const response = await hub.app.inject({
      method: 'POST',
      url: '/v1/organisations',
      headers: admin,
      payload: { name: 'Hostingstadt', kind: 'municipality', codeHosting: [{ url: 'https://github.com/ok', kind: 'github' }, { url: 'javascript:alert(1)', kind: 'gitlab' }] },
    });
    expect(expectProblem(response, 400).errors).toEqual([{ field: 'body/codeHosting/1/url', message: 'must be an http: or https: URL' }]);
  });

  it('patching a website to a data: URL is a 400 and the stored website stays', async () => {
    const org = await createOrganisation(hub.app, { name: 'Patchstadt', kind: 'municipality', website: 'https://patchstadt.example' });
    const response = await hub.app.inject({ method: 'PATCH', url: `/v1/organisations/${org.id}`, headers: admin, payload: { website: 'data:text/html,<b>x</b>' } });
    expectProblem(response, 400);
    expect(problemFields(response)).toEqual(['body/website']);
    expect((await hub.app.inject(`/v1/organisations/${org.id}`)).json()).toMatchObject({ website: 'https://patchstadt.example' });
  });

  it('http and https websites in any letter case are still accepted', async () => {
    const org = await createOrganisation(hub.app, { name: 'Altstadt', kind: 'municipality', website: 'HTTP://altstadt.example/' });
    expect((await hub.app.inject(`/v1/organisations/${org.id}`)).json()).toMatchObject({ website: 'HTTP://altstadt.example/' });
  });

  it('a software repository URL with javascript: is a 400 and the stored one stays', async () => {
    const { token, software } = await publisherWithSoftware(hub.app, { repositoryUrl: 'https://git.example/app' });
    const response = await hub.app.inject({ method: 'PATCH', url: `/v1/software/${software.id}`, headers: bearer(token), payload: { repositoryUrl: 'javascript:alert(1)' } });
    expectProblem(response, 400);
    expect(problemFields(response)).toEqual(['body/repositoryUrl']);
    expect((await hub.app.inject(`/v1/software/${software.id}`)).json()).toMatchObject({ repositoryUrl: 'https://git.example/app' });
  });

  it('a release pushed with a javascript: URL is a 400 and no release is stored', async () => {
    const { token, software } = await publisherWithSoftware(hub.app);
    const response = await hub.app.inject({
      method: 'POST',
      url: `/v1/software/${software.id}/releases`,
      headers: bearer(token),
      payload: { version: '1.0.0', url: 'javascript:alert(1)' },
    });
    expectProblem(response, 400);
    expect(problemFields(response)).toEqual(['body/url']);
    expect((await hub.app.inject(`/v1/software/${software.id}/releases`)).json().items).toEqual([]);
  });
});
