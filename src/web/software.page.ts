import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { REUSE_STATUSES, type ReuseStatus } from '../db/schema/reuses';
import { readTogether } from '../db/json-read';
import { getSoftwareRow } from '../domain/catalogue/software-lookup';
import { getSoftware } from '../domain/catalogue/software.service';
import type { HubContext } from '../domain/context';
import { listSoftwareReuses, recordReuse, updateReuseRecord } from '../domain/reuse/reuse.service';
import { formText as text } from './experience.form';
import { formFromRefusal, isFormRefusal } from './form-errors';
import { html } from './html';
import { redirectAfterPost, sendPage } from './render';
import { checkCsrf } from './session/page-context';
import { layout } from './views/layout';
import { provenanceNote } from './views/partials/provenance';
import { shortDescription } from './views/partials/software-item';
import type { FormState } from './views/software/section';
import { SOFTWARE_SECTIONS } from './views/software/sections';

export async function renderSoftware(hub: HubContext, request: FastifyRequest, reply: FastifyReply, slug: string, form?: FormState) {
  const page = request.page;
  const { t } = page.i18n;
  // The row once (a missing entry is the 404 page); then the detail's reads and, beside them, the
  // sections' reads as one statement (they are many short lists: a statement each cost more than their rows).
  const software = await getSoftwareRow(hub.db, slug);
  const reads = SOFTWARE_SECTIONS.flatMap((section, i) => (section.read ? [[`s${i}`, section.read(page)] as const] : []));
  const params = Object.assign({ softwareId: software.id }, ...SOFTWARE_SECTIONS.map((section) => section.params ?? {}));
  // Both awaited together: a failing read (the database gone) must not leave the other's rejection unhandled.
  const loading = getSoftware(hub.db, software);
  const [detail, data] = await Promise.all([loading, readTogether(hub.db, Object.fromEntries(reads), params) as Promise<Record<string, unknown>>]);
  const rendered = await Promise.all(
    SOFTWARE_SECTIONS.map(async (section, i) => ({ section, markup: await section.render({ hub, software, detail: loading, data: data[`s${i}`], page, headingId: `${section.id}-heading`, form }) })),
  );
  const shown = rendered.filter((r) => r.markup !== null);
  const body = html`<p class="kern-preline">${t('software.by', { organisation: '' })}<a class="kern-link" href="/organisations/${detail.organisation.slug}">${detail.organisation.name}</a></p>
<h1 class="kern-heading-x-large">${detail.name}</h1>
${provenanceNote(detail.provenance, page.i18n)}
<p class="kern-body kern-body--large">${shortDescription(detail, page.i18n)}</p>
<nav aria-labelledby="toc"><h2 class="kern-heading-small" id="toc">${t('software.sections')}</h2>
  <ul class="th-plain-list">${shown.map(({ section }) => html`<li><a class="kern-link" href="#${section.id}">${t(section.heading)}</a></li>`)}</ul>
</nav>
${shown.map(({ section, markup }) => html`<section class="th-section" id="${section.id}" aria-labelledby="${section.id}-heading">${markup}</section>`)}`;
  return sendPage(reply, layout(page, { title: detail.name, body }), form ? 400 : 200);
}

export default async function softwarePage(app: FastifyInstance, { hub }: { hub: HubContext }) {
  app.get<{ Params: { slug: string } }>('/software/:slug', { schema: { hide: true } }, async (request, reply) =>
    renderSoftware(hub, request, reply, request.params.slug),
  );

  /** Records the signed-in organisation's reuse, or updates it when there is one. */
  app.post<{ Params: { slug: string } }>('/software/:slug/reuse', { schema: { hide: true } }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    checkCsrf(request, body._csrf);
    const page = request.page;
    const { t } = page.i18n;
    if (!page.session) return reply.redirect(`/sign-in?next=${encodeURIComponent(`/software/${request.params.slug}`)}`, 303);
    // Lengths as the API's schema allows them (reuses.schemas.ts).
    const values = { status: text(body, 'status', 20), versionInUse: text(body, 'versionInUse', 100), since: text(body, 'since', 10), contact: text(body, 'contact', 200), notes: text(body, 'notes', 2000) };
    const errors: Record<string, string> = {};
    if (!(REUSE_STATUSES as readonly string[]).includes(values.status)) errors.status = t('reuse.stage');
    if (values.since && !/^\d{4}-\d{2}-\d{2}$/.test(values.since)) errors.since = t('reuse.since');
    const form = (summary: string, fieldErrors = errors): FormState => ({ section: 'reuses', values, errors: fieldErrors, summary });
    if (Object.keys(errors).length) return renderSoftware(hub, request, reply, request.params.slug, form(t('form.errorSummary')));
    const input = {
      status: values.status as ReuseStatus,
      versionInUse: values.versionInUse || null,
      since: values.since || null,
      contact: values.contact || null,
      notes: values.notes || null,
    };
    try {
      const own = (await listSoftwareReuses(hub.db, request.params.slug)).find((r) => r.organisation.id === page.session!.organisation.id);
      if (own && own.withdrawnAt === null) await updateReuseRecord(hub.db, page.session.principal, { software: request.params.slug, reuseId: own.id, changes: input });
      else await recordReuse(hub.db, page.session.principal, request.params.slug, input);
    } catch (error) {
      if (!isFormRefusal(error)) throw error;
      return renderSoftware(hub, request, reply, request.params.slug, formFromRefusal(page.i18n, error, { section: 'reuses', values }));
    }
    return redirectAfterPost(reply, `/software/${encodeURIComponent(request.params.slug)}?notice=reuse-saved#reuses`);
  });
}
