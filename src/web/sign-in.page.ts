import type { FastifyInstance } from 'fastify';
import type { HubContext } from '../domain/context';
import { configuredAdminToken } from '../domain/auth/admin-token';
import { SignInRefused, signInWithToken, signOut } from '../domain/auth/web-sessions.service';
import { html } from './html';
import { redirectAfterPost, sendPage } from './render';
import { checkCsrf, cookieSecurity, sessionIdOf, type PageContext } from './session/page-context';
import { alert, layout } from './views/layout';
import { csrfField, submitButton, textField } from './views/partials/form';

/** Only a path of this hub: an absolute or protocol-relative URL would make sign-in an open redirect. */
function safeNext(value: unknown): string {
  return typeof value === 'string' && /^\/(?![/\\])/.test(value) && value.length <= 500 ? value : '/';
}

function signInView(page: PageContext, next: string, error?: string) {
  const { t } = page.i18n;
  return html`<h1 class="kern-heading-x-large">${t('signin.title')}</h1>
<p class="kern-body">${t('signin.lead')}</p>
${error ? alert({ kind: 'danger', text: t('form.errorSummary') }) : ''}
<form method="post" action="/sign-in" novalidate>
  ${csrfField(page.csrfToken)}
  <input type="hidden" name="next" value="${next}">
  ${textField({ id: 'token', name: 'token', type: 'password', label: t('signin.token'), hint: t('signin.tokenHint'), error, required: true, autocomplete: 'off' })}
  ${submitButton(t('signin.submit'))}
</form>`;
}

export default async function signInPage(app: FastifyInstance, { hub }: { hub: HubContext }) {
  const admin = hub.admin === undefined ? configuredAdminToken(hub.config.adminToken) : hub.admin;

  app.get('/sign-in', { schema: { hide: true } }, async (request, reply) => {
    const page = request.page;
    const next = safeNext((request.query as Record<string, unknown>).next);
    return sendPage(reply, layout(page, { title: page.i18n.t('signin.title'), body: signInView(page, next) }));
  });

  app.post('/sign-in', { schema: { hide: true } }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    checkCsrf(request, body._csrf);
    const page = request.page;
    const { t } = page.i18n;
    const next = safeNext(body.next);
    const token = typeof body.token === 'string' ? body.token.trim().slice(0, 200) : '';
    const refuse = (message: string) => sendPage(reply, layout(page, { title: t('signin.title'), body: signInView(page, next, message) }), 400);
    if (!token) return refuse(t('signin.empty'));
    let opened;
    try {
      opened = await signInWithToken(hub.db, admin, token);
    } catch (error) {
      if (error instanceof SignInRefused) return refuse(t(error.slug === 'session.admin_token' ? 'signin.admin' : 'signin.unknown'));
      throw error;
    }
    const cookies = cookieSecurity(hub, request);
    reply.setCookie(cookies.session, opened.sessionId, { ...cookies.options, maxAge: opened.maxAgeSeconds });
    // The session brings its own form token; the signed-out one is done.
    reply.clearCookie(cookies.csrf, cookies.options);
    const [path, fragment] = next.split('#');
    return redirectAfterPost(reply, `${path}${path!.includes('?') ? '&' : '?'}notice=signed-in${fragment ? `#${fragment}` : ''}`);
  });

  app.post('/sign-out', { schema: { hide: true } }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    checkCsrf(request, body._csrf);
    const sessionId = sessionIdOf(hub, request);
    if (request.page.session && sessionId) await signOut(hub.db, request.page.session, sessionId);
    const cookies = cookieSecurity(hub, request);
    reply.clearCookie(cookies.session, cookies.options);
    return redirectAfterPost(reply, '/?notice=signed-out');
  });
}
