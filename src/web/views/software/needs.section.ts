import type { ReadResult } from '../../../db/json-read';
import { matchingNeedsRead } from '../../../domain/needs/needs.service';
import { html } from '../../html';
import type { MessageKey } from '../../i18n';
import type { SoftwareSection } from './section';

/** A page shows a handful; the API lists every need (GET /v1/needs). */
const SHOWN = 10;

/** Needs of other organisations the hub matched to this software: where it could be reused next. */
export const needsSection: SoftwareSection<ReadResult<typeof matchingNeedsRead>> = {
  id: 'needs',
  heading: 'needs.title',
  read: () => matchingNeedsRead,
  params: { limit: SHOWN },
  async render({ data: needs, page, headingId }) {
    if (needs.length === 0) return null;
    const { t, n } = page.i18n;
    return html`<h2 class="kern-heading-large" id="${headingId}">${t('needs.title')}</h2>
<p class="kern-body">${t('needs.lead')}</p>
<ul class="th-plain-list">${needs.map((need) => html`<li class="kern-body">
  <strong>${need.title}</strong> · <a class="kern-link" href="/organisations/${need.organisation.slug}">${need.organisation.name}</a>
  · ${t(`needStatus.${need.status}` as MessageKey)}${need.deadline ? html` · ${t('needs.deadline', { date: page.i18n.date(need.deadline) })}` : ''}
  ${need.supporterCount > 0 ? html` · ${n('needs.supporters', need.supporterCount)}` : ''}
  <p class="kern-body kern-body--small">${need.description}</p>
</li>`)}</ul>`;
  },
};
