import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, admin, createTestHub, organisationWithToken, type TestHub } from '../helpers/hub';
import { queryDatabase } from './fixtures';

/** Sign-in to the web interface: a session in the database, a cookie in the browser, never the token there. */
let hub: TestHub;
beforeAll(async () => {
  hub = await createTestHub();
});
afterAll(async () => hub?.close());

function cookiesOf(setCookie: string | string[] | undefined) {
  return (Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : []).map((c) => c.split(';')[0]!);
}

/** The sign-in form's CSRF cookie and token, as a browser gets them. */
async function signInForm(app = hub.app) {
  const form = await app.inject('/sign-in');
  const csrfCookie = cookiesOf(form.headers['set-cookie']).find((c) => c.includes('th_csrf='))!;
  const token = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
  return { csrfCookie, token, setCookie: form.headers['set-cookie'] };
}

async function signIn(token: string, app = hub.app) {
  const form = await signInForm(app);
  return app.inject({
    method: 'POST',
    url: '/sign-in',
    headers: { cookie: form.csrfCookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: form.token, token, next: '/' }).toString(),
  });
}

describe('web sessions', () => {
  it('an organisation token opens a session: the cookie holds a random id, the database its hash and the token id, never the token', async () => {
    const { organisation, token } = await organisationWithToken(hub.app, ['reuse']);
    const response = await signIn(token);
    expect(response.statusCode).toBe(303);
    const setCookie = String(response.headers['set-cookie']);
    expect(setCookie).toMatch(/th_session=[\w-]{43};/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    expect(setCookie).not.toContain(token);
    const rows = await queryDatabase<{ id_hash: string; principal: { organisationId: string } }>(hub, 'SELECT id_hash, principal FROM web_session');
    expect(rows.some((r) => r.principal.organisationId === organisation.id)).toBe(true);
    expect(JSON.stringify(rows)).not.toContain(token);
    const session = cookiesOf(response.headers['set-cookie']).find((c) => c.startsWith('th_session='))!;
    const page = await hub.app.inject({ url: '/', headers: { cookie: session } });
    expect(page.body).toContain(organisation.name);
  });

  it('revoking the token ends its sessions', async () => {
    const { organisation, token } = await organisationWithToken(hub.app, ['reuse']);
    const session = cookiesOf((await signIn(token)).headers['set-cookie']).find((c) => c.startsWith('th_session='))!;
    const tokens = ((await hub.app.inject({ url: `/v1/organisations/${organisation.id}/tokens`, headers: admin })).json() as { items: { id: string }[] }).items;
    const revoked = await hub.app.inject({ method: 'DELETE', url: `/v1/organisations/${organisation.id}/tokens/${tokens[0]!.id}`, headers: admin });
    expect(revoked.statusCode).toBeLessThan(300);
    const page = await hub.app.inject({ url: '/', headers: { cookie: session } });
    expect(page.body).not.toContain(organisation.name);
    expect(page.body).toContain('href="/sign-in"');
  });

  it("the hub's admin token and unknown tokens open no session, and say why next to the field", async () => {
    for (const [token, text] of [[ADMIN_TOKEN, 'Admin-Token'], ['thub_unbekannt', 'unbekannt oder widerrufen']] as const) {
      const response = await signIn(token);
      expect(response.statusCode).toBe(400);
      expect(response.body).toMatch(/<p class="kern-error" id="token-error" role="alert">/);
      expect(response.body).toContain(text);
      expect(String(response.headers['set-cookie'] ?? '')).not.toContain('th_session=');
    }
  });

  it('a form without its CSRF token is refused with 403', async () => {
    const { token } = await organisationWithToken(hub.app, ['reuse']);
    const form = await signInForm();
    const response = await hub.app.inject({
      method: 'POST',
      url: '/sign-in',
      headers: { cookie: form.csrfCookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: 'falsch', token }).toString(),
    });
    expect(response.statusCode).toBe(403);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
  });

  it('behind HTTPS the cookies are Secure and carry the __Host- prefix', async () => {
    const secure = await createTestHub({ HUB_PUBLIC_URL: 'https://katalog.example.de/' });
    try {
      const form = await signInForm(secure.app);
      expect(String(form.setCookie)).toMatch(/__Host-th_csrf=[^;]+; Path=\/; HttpOnly; Secure; SameSite=Lax/);
    } finally {
      await secure.close();
    }
  });

  it('the API takes no form bodies: the form parser belongs to the pages', async () => {
    const response = await hub.app.inject({ method: 'POST', url: '/v1/organisations', headers: { ...admin, 'content-type': 'application/x-www-form-urlencoded' }, payload: 'name=x&kind=municipality' });
    expect(response.statusCode).toBe(415);
  });
});
