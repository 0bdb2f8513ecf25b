import type { FastifyInstance } from 'fastify';
import { getSoftware } from '../domain/catalogue/software.service';
import type { HubContext } from '../domain/context';
import { getRepository, registerRepository } from '../domain/crawl/repositories.service';
import { AppError } from '../lib/errors';
import { html } from './html';
import { redirectAfterPost, sendPage } from './render';
import { checkCsrf, type PageContext } from './session/page-context';
import { alert, layout } from './views/layout';
import { csrfField, submitButton, textField } from './views/partials/form';
import { crawlBadge } from './views/software/repositories.section';

/** While a crawl is queued or running the page reloads itself; 3 s: a small repository is read in a few seconds. */
const REFRESH_SECONDS = 3;

function registerView(page: PageContext, value = '', error?: string) {
  const { t } = page.i18n;
  const canPublish = page.session?.principal.kind === 'token' && page.session.principal.scopes.includes('publish');
  return html`<h1 class="kern-heading-x-large">${t('repo.registerTitle')}</h1>
<p class="kern-body">${t('repo.registerLead')}</p>
${!canPublish ? alert({ kind: 'warning', text: t('repo.needsScope') }) : ''}
${error ? alert({ kind: 'danger', text: t('form.errorSummary') }) : ''}
<form method="post" action="/repositories" novalidate>
  ${csrfField(page.csrfToken)}
  ${textField({ id: 'url', name: 'url', type: 'url', label: t('repo.url'), hint: t('repo.urlHint'), value, error, required: true, autocomplete: 'url' })}
  ${submitButton(t('repo.submit'))}
</form>`;
}

export default async function repositoriesPage(app: FastifyInstance, { hub }: { hub: HubContext }) {
  app.get('/repositories/new', { schema: { hide: true } }, async (request, reply) => {
    const page = request.page;
    if (!page.session) return reply.redirect('/sign-in?next=%2Frepositories%2Fnew', 303);
    return sendPage(reply, layout(page, { title: page.i18n.t('repo.registerTitle'), body: registerView(page) }));
  });

  app.post('/repositories', { schema: { hide: true } }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    checkCsrf(request, body._csrf);
    const page = request.page;
    if (!page.session) return reply.redirect('/sign-in?next=%2Frepositories%2Fnew', 303);
    const url = typeof body.url === 'string' ? body.url.trim().slice(0, 500) : '';
    const refuse = (message: string) => sendPage(reply, layout(page, { title: page.i18n.t('repo.registerTitle'), body: registerView(page, url, message) }), 400);
    if (!url) return refuse(page.i18n.t('repo.url'));
    try {
      const { repository } = await registerRepository(hub, page.session.principal, { url, organisationId: page.session.organisation.id });
      return redirectAfterPost(reply, `/repositories/${repository.id}?notice=repository-registered`);
    } catch (error) {
      // Field errors (a URL that is no repository, a host that is not public) go next to the field.
      if (error instanceof AppError && error.status < 500 && error.status !== 401) return refuse(error.errors[0]?.message ? `${error.message} (${error.errors[0].message})` : error.message);
      throw error;
    }
  });

  app.get<{ Params: { id: string } }>('/repositories/:id', { schema: { hide: true } }, async (request, reply) => {
    const page = request.page;
    const { t } = page.i18n;
    const repository = await getRepository(hub, request.params.id);
    const software = repository.softwareId ? await getSoftware(hub.db, repository.softwareId).catch(() => null) : null;
    const busy = repository.crawl.state === 'queued' || repository.crawl.state === 'running';
    const item = (label: string, value: unknown) =>
      html`<div class="kern-description-list-item"><dt class="kern-description-list-item__key">${label}</dt><dd class="kern-description-list-item__value">${value as string}</dd></div>`;
    const body = html`<h1 class="kern-heading-x-large">${t('repo.title', { url: repository.url })}</h1>
<dl class="kern-description-list">
  ${item(t('repo.state'), html`<span id="crawl-state" data-state="${repository.crawl.state}">${crawlBadge(page.i18n, repository.crawl.state, repository.crawl.paused !== null)}</span>`)}
  ${item(t('repo.lastChecked'), repository.crawl.lastCheckedAt ? page.i18n.date(repository.crawl.lastCheckedAt) : '–')}
  ${item(t('repo.lastSuccess'), repository.crawl.lastSuccessAt ? page.i18n.date(repository.crawl.lastSuccessAt) : '–')}
  ${repository.crawl.lastError && repository.crawl.state === 'failed' ? item(t('repo.error'), repository.crawl.lastError) : ''}
  ${software ? item(t('repo.software'), html`<a class="kern-link" href="/software/${software.slug}">${software.name}</a>`) : ''}
</dl>
${busy ? html`<p class="kern-body kern-body--small">${t('repo.autoRefresh')}</p>` : ''}`;
    const head = busy ? html`<meta http-equiv="refresh" content="${REFRESH_SECONDS}">` : '';
    return sendPage(reply, layout(page, { title: t('repo.title', { url: repository.url }), body, head }));
  });
}
