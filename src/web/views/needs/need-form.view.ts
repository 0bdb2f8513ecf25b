import { BUDGET_BANDS } from '../../../db/schema/needs';
import { html, type Html } from '../../html';
import type { MessageKey } from '../../i18n';
import type { PageContext } from '../../session/page-context';
import { alert } from '../layout';
import { csrfField, selectField, submitButton, textArea, textField } from '../partials/form';

export type NeedForm = { values: Record<string, string>; errors: Record<string, string>; summary?: string };

/** Posting a need: title, description, categories, optional deadline and budget band (issue 11 §4). */
export function needFormView(page: PageContext, form?: NeedForm): Html {
  const { t } = page.i18n;
  const v = (name: string) => form?.values[name] ?? '';
  const e = form?.errors ?? {};
  const scopes = page.session?.principal.kind === 'token' ? page.session.principal.scopes : [];
  const canPost = scopes.includes('publish') || scopes.includes('reuse');
  return html`<h1 class="kern-heading-x-large">${t('needs.newTitle')}</h1>
<p class="kern-body">${t('needs.newLead')}</p>
${!canPost ? alert({ kind: 'warning', text: t('needs.needsScope') }) : ''}
${form?.summary ? alert({ kind: 'danger', text: form.summary }) : ''}
<form method="post" action="/needs" novalidate>
  ${csrfField(page.csrfToken)}
  ${textField({ id: 'need-title', name: 'title', label: t('needs.titleField'), value: v('title'), error: e.title, required: true })}
  ${textArea({ id: 'need-description', name: 'description', label: t('needs.description'), value: v('description'), error: e.description, required: true, rows: 6 })}
  ${textField({ id: 'need-categories', name: 'categories', label: t('needs.categories'), hint: t('needs.categoriesHint'), value: v('categories'), error: e.categories })}
  ${textField({ id: 'need-deadline', name: 'deadline', type: 'date', label: t('needs.deadlineField'), value: v('deadline'), error: e.deadline })}
  ${selectField({ id: 'need-budget', name: 'budgetBand', label: t('needs.budget'), value: v('budgetBand'), error: e.budgetBand,
    options: [{ value: '', label: t('form.optional') }, ...BUDGET_BANDS.map((b) => ({ value: b, label: t(`budget.${b}` as MessageKey) }))] })}
  ${submitButton(t('needs.submit'))}
</form>`;
}
