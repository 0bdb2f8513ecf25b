import type { ReuseView } from '../../../domain/reuse/reuse.service';
import { html, type Html } from '../../html';
import type { PageContext } from '../../session/page-context';

/**
 * Confirmed (by whom, when), disputed (with the producer's reason, never hidden) or self-declared:
 * a reuse record's verification wherever it is listed (the software's and the organisation's page).
 */
export function reuseVerification(page: PageContext, reuse: Pick<ReuseView, 'verification'>): Html {
  const { t } = page.i18n;
  const v = reuse.verification;
  if (v.state === 'confirmed') {
    return html`<span class="kern-badge kern-badge--success"><span class="kern-label kern-label--small">${t(v.by === 'admin' ? 'software.confirmedByAdmin' : 'software.confirmed', { date: page.i18n.date(v.at) })}</span></span>`;
  }
  if (v.state === 'disputed') {
    return html`<span class="kern-badge kern-badge--warning"><span class="kern-label kern-label--small">${t('software.disputed')}</span></span>${v.reason ? html`<p class="kern-body kern-body--small">${t('software.disputeReason', { reason: v.reason })}</p>` : ''}`;
  }
  return html`${t('software.selfDeclared')}`;
}
