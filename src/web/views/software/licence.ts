import spdxList from 'spdx-license-list';
import { html, type Html } from '../../html';
import type { Translator } from '../../i18n';

const LICENCES = spdxList as Record<string, { name: string; url: string }>;

/** An SPDX expression with each licence id named and linked to its text (spdx.org). */
export function licenceHtml(expression: string | null, i18n: Translator): Html {
  if (!expression) return html`${i18n.t('software.unknown')}`;
  const parts = expression.split(/(\s+(?:AND|OR|WITH)\s+|[()])/);
  return html`${parts.map((part) => {
    const known = LICENCES[part.trim()];
    return known
      ? html`<a class="kern-link" href="https://spdx.org/licenses/${part.trim()}.html" title="${i18n.t('software.licenceText', { id: part.trim() })}">${known.name}</a>`
      : part;
  })}`;
}
