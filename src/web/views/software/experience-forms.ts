import { COST_BANDS, HOSTING_KINDS } from '../../../db/schema/experience-reports';
import { html, type Html } from '../../html';
import type { MessageKey } from '../../i18n';
import type { PageContext } from '../../session/page-context';
import { alert } from '../layout';
import { checkboxField, csrfField, selectField, submitButton, textArea, textField } from '../partials/form';
import type { FormState } from './section';

/** The fields of an experience report as the form sends them (web/experience.form.ts reads them). */
export const REPORT_FIELDS = ['effortPersonDays', 'weeksToGoLive', 'runningCostBand', 'hosting', 'adaptations', 'whatWorked', 'whatDidNotWork', 'recommendation', 'version', 'contact', 'showContact'] as const;

/**
 * All fields of issue 11 §2; only the recommendation is required, as in the API. Numbers are text
 * fields with a decimal keypad: "12,5" is accepted, where type=number depends on the browser's locale.
 */
export function reportForm(page: PageContext, slug: string, form: FormState | undefined): Html {
  const { t } = page.i18n;
  const v = (name: string) => form?.values[name] ?? '';
  const e = form?.errors ?? {};
  const none = { value: '', label: t('form.optional') };
  return html`<div class="th-form-block">
<h3 class="kern-heading-medium" id="report-form">${t('report.formTitle')}</h3>
<p class="kern-body">${t('report.lead')}</p>
${form?.summary ? alert({ kind: 'danger', text: form.summary }) : ''}
<form method="post" action="/software/${slug}/experience" novalidate>
  ${csrfField(page.csrfToken)}
  ${selectField({ id: 'report-recommendation', name: 'recommendation', label: t('report.recommendation'), hint: t('report.recommendationHint'), required: true, value: v('recommendation'), error: e.recommendation,
    options: [{ value: '', label: t('report.recommendationChoose') }, ...[1, 2, 3, 4, 5].map((n) => ({ value: String(n), label: t('experience.outOf5', { value: n }) }))] })}
  ${textField({ id: 'report-version', name: 'version', label: t('report.version'), value: v('version'), error: e.version })}
  ${textField({ id: 'report-effort', name: 'effortPersonDays', inputmode: 'decimal', label: t('report.effort'), value: v('effortPersonDays'), error: e.effortPersonDays })}
  ${textField({ id: 'report-weeks', name: 'weeksToGoLive', inputmode: 'decimal', label: t('report.weeks'), value: v('weeksToGoLive'), error: e.weeksToGoLive })}
  ${selectField({ id: 'report-cost', name: 'runningCostBand', label: t('report.costBand'), value: v('runningCostBand'), error: e.runningCostBand,
    options: [none, ...COST_BANDS.map((c) => ({ value: c, label: t(`cost.${c}` as MessageKey) }))] })}
  ${selectField({ id: 'report-hosting', name: 'hosting', label: t('report.hosting'), value: v('hosting'), error: e.hosting,
    options: [none, ...HOSTING_KINDS.map((h) => ({ value: h, label: t(`hosting.${h}` as MessageKey) }))] })}
  ${textArea({ id: 'report-adaptations', name: 'adaptations', label: t('report.adaptations'), value: v('adaptations'), error: e.adaptations })}
  ${textArea({ id: 'report-worked', name: 'whatWorked', label: t('report.whatWorked'), value: v('whatWorked'), error: e.whatWorked, rows: 5 })}
  ${textArea({ id: 'report-not-worked', name: 'whatDidNotWork', label: t('report.whatDidNotWork'), value: v('whatDidNotWork'), error: e.whatDidNotWork, rows: 5 })}
  ${textField({ id: 'report-contact', name: 'contact', type: 'email', label: t('report.contact'), hint: t('report.contactHint'), value: v('contact'), error: e.contact, autocomplete: 'email' })}
  ${checkboxField({ id: 'report-show-contact', name: 'showContact', label: t('report.showContact'), checked: v('showContact') === 'true', error: e.showContact })}
  ${submitButton(t('report.submit'))}
</form>
</div>`;
}

/** The producer's one answer to a report. */
export function answerForm(page: PageContext, slug: string, reportId: string, form: FormState | undefined): Html {
  const { t } = page.i18n;
  return html`<h4 class="kern-heading-small" id="answer-${reportId}">${t('answer.title')}</h4>
${form?.summary ? alert({ kind: 'danger', text: form.summary }) : ''}
<form method="post" action="/software/${slug}/experience/${reportId}/answer" novalidate>
  ${csrfField(page.csrfToken)}
  ${textArea({ id: `answer-${reportId}-text`, name: 'answer', label: t('answer.label'), value: form?.values.answer ?? '', error: form?.errors.answer, required: true, rows: 4 })}
  ${submitButton(t('answer.submit'))}
</form>`;
}
