import { REUSE_STATUSES } from '../../../db/schema/reuses';
import type { ReadResult } from '../../../db/json-read';
import { softwareReusesRead } from '../../../domain/reuse/reuse.service';
import { html, type Html } from '../../html';
import type { PageContext } from '../../session/page-context';
import { alert } from '../layout';
import { csrfField, selectField, submitButton, textArea, textField } from '../partials/form';
import { provenanceNote } from '../partials/provenance';
import { reuseVerification } from '../partials/reuse-verification';
import type { FormState, SoftwareSection } from './section';

type Reuse = ReadResult<typeof softwareReusesRead>[number];

/** Who reuses the software (a mirrored record with its origin hub), at which stage, and whether the producer confirmed it. */
function reuseTable(page: PageContext, reuses: Reuse[]): Html {
  const { t } = page.i18n;
  return html`<div class="th-table-wrap"><table class="kern-table">
  <caption class="kern-sr-only">${t('software.reuses')}</caption>
  <thead><tr class="kern-table__row">
    <th class="kern-table__header" scope="col">${t('software.reuseBy')}</th>
    <th class="kern-table__header" scope="col">${t('software.reuseStage')}</th>
    <th class="kern-table__header" scope="col">${t('software.reuseSince')}</th>
    <th class="kern-table__header" scope="col">${t('software.reuseVerified')}</th>
  </tr></thead>
  <tbody class="kern-table__body">${reuses.map((r) => html`<tr class="kern-table__row">
    <td class="kern-table__cell"><a class="kern-link" href="/organisations/${r.organisation.slug}">${r.organisation.name}</a>${provenanceNote(r.provenance, page.i18n)}</td>
    <td class="kern-table__cell">${t(`stage.${r.status}`)}</td>
    <td class="kern-table__cell">${r.since ? html`<time datetime="${r.since}">${page.i18n.date(r.since)}</time>` : '–'}</td>
    <td class="kern-table__cell">${reuseVerification(page, r)}</td>
  </tr>`)}</tbody>
</table></div>`;
}

function reuseForm(page: PageContext, slug: string, own: Reuse | undefined, form: FormState | undefined): Html {
  const { t } = page.i18n;
  // A withdrawn record is taken up again by recording it anew (the service keeps its history).
  const standing = own && own.withdrawnAt === null ? own : undefined;
  const value = (name: string, stored: string | null | undefined) => (form ? form.values[name] : stored) ?? '';
  const errors = form?.errors ?? {};
  return html`<h3 class="kern-heading-medium" id="reuse-form">${standing ? t('reuse.formTitleUpdate') : own ? t('reuse.formTitleAgain') : t('reuse.formTitle')}</h3>
${form?.summary ? alert({ kind: 'danger', text: form.summary }) : ''}
<form method="post" action="/software/${slug}/reuse" novalidate>
  ${csrfField(page.csrfToken)}
  ${selectField({ id: 'reuse-status', name: 'status', label: t('reuse.stage'), value: value('status', standing?.status ?? 'evaluating'), error: errors.status,
    options: REUSE_STATUSES.map((s) => ({ value: s, label: t(`stage.${s}`) })) })}
  ${textField({ id: 'reuse-version', name: 'versionInUse', label: t('reuse.version'), value: value('versionInUse', standing?.versionInUse), error: errors.versionInUse })}
  ${textField({ id: 'reuse-since', name: 'since', type: 'date', label: t('reuse.since'), value: value('since', standing?.since), error: errors.since })}
  ${textField({ id: 'reuse-contact', name: 'contact', label: t('reuse.contact'), value: value('contact', standing?.contact), error: errors.contact, autocomplete: 'email' })}
  ${textArea({ id: 'reuse-notes', name: 'notes', label: t('reuse.notes'), value: value('notes', standing?.notes) })}
  ${submitButton(t('reuse.save'))}
</form>`;
}

/** The reusing organisation withdraws its own record (kept with its history, counted nowhere). */
function withdrawForm(page: PageContext, slug: string, own: Reuse, form: FormState | undefined): Html {
  const { t } = page.i18n;
  return html`<h3 class="kern-heading-medium" id="withdraw-form">${t('withdraw.title')}</h3>
<p class="kern-body" id="withdraw-lead">${t('withdraw.lead')}</p>
${form?.summary ? alert({ kind: 'danger', text: form.summary }) : ''}
<form method="post" action="/software/${slug}/reuses/${own.id}/withdraw" aria-describedby="withdraw-lead">
  ${csrfField(page.csrfToken)}
  ${submitButton(t('withdraw.submit'), { variant: 'secondary' })}
</form>`;
}

/** The producer's word on each standing reuse by another organisation: confirm, or dispute with a reason. */
function verifyForms(page: PageContext, slug: string, reuses: Reuse[], form: FormState | undefined): Html {
  const { t } = page.i18n;
  return html`<h3 class="kern-heading-medium" id="verify-forms">${t('verify.title')}</h3>
<p class="kern-body">${t('verify.lead')}</p>
${reuses.map((r) => {
  const mine = form?.section === `verify:${r.id}` ? form : undefined;
  const id = `verify-${r.id}`;
  return html`<form method="post" action="/software/${slug}/reuses/${r.id}/verify" novalidate>
  ${csrfField(page.csrfToken)}
  <fieldset class="kern-fieldset">
    <legend class="kern-label">${t('verify.legend', { organisation: r.organisation.name })} · ${t(`stage.${r.status}`)}</legend>
    <div class="kern-fieldset__body">
      ${mine?.summary ? alert({ kind: 'danger', text: mine.summary }) : ''}
      ${textField({ id: `${id}-reason`, name: 'reason', label: t('verify.reason'), value: mine?.values.reason ?? '', error: mine?.errors.reason })}
      <div class="th-actions">
        ${submitButton(t('verify.confirm'), { name: 'verdict', value: 'confirmed' })}
        ${submitButton(t('verify.dispute'), { name: 'verdict', value: 'disputed', variant: 'secondary' })}
      </div>
    </div>
  </fieldset>
</form>`;
})}`;
}

function hasScope(page: PageContext, scope: 'publish' | 'reuse') {
  const principal = page.session?.principal;
  return principal?.kind === 'token' && principal.scopes.includes(scope);
}

export const reusesSection: SoftwareSection<Reuse[]> = {
  id: 'reuses',
  heading: 'software.reuses',
  read: () => softwareReusesRead,
  async render({ data: all, detail: loading, page, headingId, form }) {
    const { t } = page.i18n;
    const detail = await loading;
    // A withdrawn record stays in the API's history; the page lists the reuses that stand.
    const reuses = all.filter((r) => r.withdrawnAt === null);
    const counts = detail.reuseCounts.byOtherOrganisations;
    const session = page.session;
    const canRecord = hasScope(page, 'reuse');
    const own = session ? all.find((r) => r.organisation.id === session.organisation.id) : undefined;
    const producer = session?.organisation.id === detail.organisation.id && hasScope(page, 'publish');
    const toVerify = producer ? reuses.filter((r) => r.organisation.id !== detail.organisation.id) : [];
    return html`<h2 class="kern-heading-large" id="${headingId}">${t('software.reuses')}</h2>
<p class="kern-body">${t('software.reuseCounts', { confirmed: counts.confirmed, selfDeclared: counts.selfDeclared, production: counts.production })}
  <span class="kern-body--small">${t('software.reuseCountsNote')}</span></p>
${reuses.length ? reuseTable(page, reuses) : html`<p class="kern-body">${t('software.noReuses')}</p>`}
${toVerify.length ? verifyForms(page, detail.slug, toVerify, form) : ''}
${session ? (canRecord ? reuseForm(page, detail.slug, own, form?.section === 'reuses' ? form : undefined) : html`<p class="kern-body">${t('reuse.needsScope')}</p>`) : ''}
${canRecord && own && own.withdrawnAt === null ? withdrawForm(page, detail.slug, own, form?.section === 'withdraw' ? form : undefined) : ''}`;
  },
};
