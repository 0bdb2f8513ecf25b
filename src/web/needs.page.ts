import type { FastifyInstance } from 'fastify';
import { BUDGET_BANDS, NEED_STATUSES, type BudgetBand, type NeedStatus } from '../db/schema/needs';
import type { HubContext } from '../domain/context';
import { getNeed, joinNeed, listNeedsPage, postNeed } from '../domain/needs/needs.service';
import { formText } from './experience.form';
import { domainErrorText, formFromRefusal, isFormRefusal } from './form-errors';
import type { Translator } from './i18n';
import { redirectAfterPost, sendPage } from './render';
import { checkCsrf } from './session/page-context';
import { layout } from './views/layout';
import { needDetailView } from './views/needs/need-detail.view';
import { needFormView } from './views/needs/need-form.view';
import { needListView, type NeedFilter } from './views/needs/need-list.view';

/** Needs per page: a screenful of cards, as the search results. */
const PAGE_SIZE = 20;

function filterOf(query: Record<string, unknown>): NeedFilter & { cursor?: string } {
  const one = (name: string, max: number) => (typeof query[name] === 'string' ? (query[name] as string).trim().slice(0, max) : '');
  const status = one('status', 20);
  const cursor = one('cursor', 500);
  return { q: one('q', 200), status: (NEED_STATUSES as readonly string[]).includes(status) ? status : '', category: one('category', 100), cursor: cursor || undefined };
}

function listUrl(filter: NeedFilter, cursor: string) {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(filter)) if (value) params.set(name, value);
  params.set('cursor', cursor);
  return `/needs?${params.toString()}`;
}

/** The need form read and checked with the API schema's limits (needs.schemas.ts), each mistake next to its field. */
function readNeedForm(i18n: Translator, body: Record<string, unknown>) {
  const { t } = i18n;
  const values = { title: formText(body, 'title', 301), description: formText(body, 'description', 20_001), categories: formText(body, 'categories', 3000), deadline: formText(body, 'deadline', 10), budgetBand: formText(body, 'budgetBand', 20) };
  const categories = [...new Set(values.categories.split(',').map((c) => c.trim()).filter(Boolean))];
  const errors: Record<string, string> = {};
  if (values.title.length < 3) errors.title = t('needs.titleRequired');
  else if (values.title.length > 300) errors.title = t('form.tooLong', { max: 300 });
  if (!values.description) errors.description = t('needs.descriptionRequired');
  else if (values.description.length > 20_000) errors.description = t('form.tooLong', { max: 20_000 });
  if (categories.length > 20 || categories.some((c) => c.length > 100)) errors.categories = t('needs.categoriesTooMany');
  if (values.deadline && (!/^\d{4}-\d{2}-\d{2}$/.test(values.deadline) || Number.isNaN(Date.parse(values.deadline)))) errors.deadline = t('needs.dateInvalid');
  if (values.budgetBand && !(BUDGET_BANDS as readonly string[]).includes(values.budgetBand)) errors.budgetBand = t('needs.budget');
  const input = { title: values.title, description: values.description, categories, deadline: values.deadline || null, budgetBand: (values.budgetBand || null) as BudgetBand | null };
  return { values, errors, input };
}

/** Needs (Bedarfe): listed and filtered for everyone; posted and joined by a signed-in organisation. */
export default async function needsPage(app: FastifyInstance, { hub }: { hub: HubContext }) {
  app.get('/needs', { schema: { hide: true } }, async (request, reply) => {
    const page = request.page;
    const { cursor, ...filter } = filterOf(request.query as Record<string, unknown>);
    const list = await listNeedsPage(hub.db, {
      q: filter.q || undefined,
      status: filter.status ? [filter.status as NeedStatus] : undefined,
      category: filter.category ? [filter.category] : undefined,
      cursor,
      limit: PAGE_SIZE,
    });
    const body = needListView(page, filter, list, list.nextCursor ? listUrl(filter, list.nextCursor) : null);
    return sendPage(reply, layout(page, { title: page.i18n.t('needs.listTitle'), body }));
  });

  app.get('/needs/new', { schema: { hide: true } }, async (request, reply) => {
    const page = request.page;
    if (!page.session) return reply.redirect('/sign-in?next=%2Fneeds%2Fnew', 303);
    return sendPage(reply, layout(page, { title: page.i18n.t('needs.newTitle'), body: needFormView(page) }));
  });

  app.post('/needs', { schema: { hide: true } }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    checkCsrf(request, body._csrf);
    const page = request.page;
    const { t } = page.i18n;
    if (!page.session) return reply.redirect('/sign-in?next=%2Fneeds%2Fnew', 303);
    const { values, errors, input } = readNeedForm(page.i18n, body);
    const refuse = (form: Parameters<typeof needFormView>[1]) => sendPage(reply, layout(page, { title: t('needs.newTitle'), body: needFormView(page, form) }), 400);
    if (Object.keys(errors).length) return refuse({ values, errors, summary: t('form.errorSummary') });
    try {
      const need = await postNeed(hub, page.session.principal, input);
      return redirectAfterPost(reply, `/needs/${need.id}?notice=need-posted`);
    } catch (error) {
      if (!isFormRefusal(error)) throw error;
      return refuse(formFromRefusal(page.i18n, error, { section: 'need', values }));
    }
  });

  app.get<{ Params: { id: string } }>('/needs/:id', { schema: { hide: true } }, async (request, reply) => {
    const page = request.page;
    const need = await getNeed(hub.db, request.params.id);
    return sendPage(reply, layout(page, { title: need.title, body: needDetailView(page, need) }));
  });

  app.post<{ Params: { id: string } }>('/needs/:id/join', { schema: { hide: true } }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    checkCsrf(request, body._csrf);
    const page = request.page;
    if (!page.session) return reply.redirect(`/sign-in?next=${encodeURIComponent(`/needs/${request.params.id}`)}`, 303);
    try {
      await joinNeed(hub.db, page.session.principal, { need: request.params.id });
    } catch (error) {
      if (!isFormRefusal(error)) throw error;
      const need = await getNeed(hub.db, request.params.id);
      return sendPage(reply, layout(page, { title: need.title, body: needDetailView(page, need, domainErrorText(page.i18n, error)) }), 400);
    }
    return redirectAfterPost(reply, `/needs/${encodeURIComponent(request.params.id)}?notice=need-joined#supporters`);
  });
}
