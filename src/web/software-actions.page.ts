import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { HubContext } from '../domain/context';
import { answerReport, writeExperienceReport } from '../domain/reuse/experience.service';
import { listSoftwareReuses, verifyReuse, withdrawReuse } from '../domain/reuse/reuse.service';
import { readReportForm, formText } from './experience.form';
import { formFromRefusal, isFormRefusal } from './form-errors';
import { redirectAfterPost } from './render';
import { checkCsrf } from './session/page-context';
import { renderSoftware } from './software.page';
import type { FormState } from './views/software/section';

type Params = { slug: string; id: string };

/**
 * What a signed-in organisation does on a software page besides recording its reuse: the
 * producer confirms or disputes a reuse and answers experience reports; the reusing organisation
 * withdraws its reuse and writes reports. Each calls the domain function the API calls.
 */
export default async function softwareActionsPage(app: FastifyInstance, { hub }: { hub: HubContext }) {
  /** CSRF checked, signed in (else to sign-in and back): the form's body and the session. */
  function begin(request: FastifyRequest<{ Params: Params }>, reply: FastifyReply, anchor: string) {
    const body = (request.body ?? {}) as Record<string, unknown>;
    checkCsrf(request, body._csrf);
    const session = request.page.session;
    if (!session) {
      void reply.redirect(`/sign-in?next=${encodeURIComponent(`/software/${request.params.slug}#${anchor}`)}`, 303);
      return null;
    }
    return { body, session };
  }

  /** Runs the domain call; a refusal comes back as the form with its message, anything else is thrown. */
  async function attempt(request: FastifyRequest<{ Params: Params }>, reply: FastifyReply, form: Omit<FormState, 'errors' | 'summary'> & { fallbackField?: string }, done: { notice: string; anchor: string }, action: () => Promise<unknown>) {
    try {
      await action();
    } catch (error) {
      if (!isFormRefusal(error)) throw error;
      return renderSoftware(hub, request, reply, request.params.slug, formFromRefusal(request.page.i18n, error, form));
    }
    return redirectAfterPost(reply, `/software/${encodeURIComponent(request.params.slug)}?notice=${done.notice}#${done.anchor}`);
  }

  app.post<{ Params: Params }>('/software/:slug/reuses/:id/verify', { schema: { hide: true } }, async (request, reply) => {
    const started = begin(request, reply, 'reuses');
    if (!started) return reply;
    const { t } = request.page.i18n;
    const verdict = started.body.verdict === 'disputed' ? 'disputed' : 'confirmed';
    const reason = formText(started.body, 'reason', 2000);
    const section = `verify:${request.params.id}`;
    if (verdict === 'disputed' && reason.length < 3) {
      return renderSoftware(hub, request, reply, request.params.slug, { section, values: { reason }, errors: { reason: t('verify.reasonRequired') }, summary: t('form.errorSummary') });
    }
    return attempt(request, reply, { section, values: { reason }, fallbackField: 'reason' }, { notice: `reuse-${verdict}`, anchor: 'reuses' }, () =>
      verifyReuse(hub.db, started.session.principal, { software: request.params.slug, reuseId: request.params.id, verdict, reason: verdict === 'disputed' ? reason : undefined }),
    );
  });

  app.post<{ Params: Params }>('/software/:slug/reuses/:id/withdraw', { schema: { hide: true } }, async (request, reply) => {
    const started = begin(request, reply, 'reuses');
    if (!started) return reply;
    return attempt(request, reply, { section: 'withdraw', values: {} }, { notice: 'reuse-withdrawn', anchor: 'reuses' }, () =>
      withdrawReuse(hub.db, started.session.principal, { software: request.params.slug, reuseId: request.params.id }),
    );
  });

  app.post<{ Params: Params }>('/software/:slug/experience', { schema: { hide: true } }, async (request, reply) => {
    const started = begin(request, reply, 'experience');
    if (!started) return reply;
    const { t } = request.page.i18n;
    const { values, errors, input } = readReportForm(request.page.i18n, started.body);
    if (Object.keys(errors).length) return renderSoftware(hub, request, reply, request.params.slug, { section: 'experience', values, errors, summary: t('form.errorSummary') });
    const own = (await listSoftwareReuses(hub.db, request.params.slug)).find((r) => r.organisation.id === started.session.organisation.id && r.withdrawnAt === null);
    // No standing reuse of its own (withdrawn meanwhile): the reuse form says to record it first.
    if (!own) return renderSoftware(hub, request, reply, request.params.slug, { section: 'reuses', values: {}, errors: {}, summary: t('report.needsReuse') });
    return attempt(request, reply, { section: 'experience', values }, { notice: 'report-saved', anchor: 'experience' }, () =>
      writeExperienceReport(hub.db, started.session.principal, { software: request.params.slug, reuseId: own.id, report: input }),
    );
  });

  app.post<{ Params: Params }>('/software/:slug/experience/:id/answer', { schema: { hide: true } }, async (request, reply) => {
    const started = begin(request, reply, 'experience');
    if (!started) return reply;
    const { t } = request.page.i18n;
    const answer = formText(started.body, 'answer', 20_001);
    const section = `answer:${request.params.id}`;
    const error = !answer ? t('answer.required') : answer.length > 20_000 ? t('form.tooLong', { max: 20_000 }) : null;
    if (error) return renderSoftware(hub, request, reply, request.params.slug, { section, values: { answer }, errors: { answer: error }, summary: t('form.errorSummary') });
    return attempt(request, reply, { section, values: { answer }, fallbackField: 'answer' }, { notice: 'answer-saved', anchor: `report-${request.params.id}` }, () =>
      answerReport(hub.db, started.session.principal, { software: request.params.slug, reportId: request.params.id, answer }),
    );
  });
}
