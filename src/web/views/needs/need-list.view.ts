import { NEED_STATUSES } from '../../../db/schema/needs';
import type { listNeedsPage } from '../../../domain/needs/needs.service';
import { html, type Html } from '../../html';
import type { MessageKey } from '../../i18n';
import type { PageContext } from '../../session/page-context';
import { selectField, textField } from '../partials/form';

type NeedList = Awaited<ReturnType<typeof listNeedsPage>>;
export type NeedFilter = { q: string; status: string; category: string };

function filterForm(page: PageContext, filter: NeedFilter): Html {
  const { t } = page.i18n;
  return html`<form class="th-facets" method="get" action="/needs" aria-labelledby="needs-filter">
  <h2 class="kern-heading-medium" id="needs-filter">${t('needs.filter')}</h2>
  ${textField({ id: 'needs-q', name: 'q', type: 'search', label: t('needs.q'), value: filter.q })}
  ${selectField({ id: 'needs-status', name: 'status', label: t('needs.status'), value: filter.status,
    options: [{ value: '', label: t('needs.allStatuses') }, ...NEED_STATUSES.map((s) => ({ value: s, label: t(`needStatus.${s}` as MessageKey) }))] })}
  ${textField({ id: 'needs-category', name: 'category', label: t('needs.category'), value: filter.category })}
  <button class="kern-btn kern-btn--secondary" type="submit"><span class="kern-label">${t('needs.apply')}</span></button>
</form>`;
}

function needItem(page: PageContext, need: NeedList['items'][number]): Html {
  const { t, n } = page.i18n;
  return html`<li><article class="kern-card"><div class="kern-card__container">
  <header class="kern-card__header"><h3 class="kern-title"><a class="kern-link" href="/needs/${need.id}">${need.title}</a></h3>
    <p class="kern-preline">${t('needs.postedBy', { organisation: need.organisation.name, date: page.i18n.date(need.createdAt) })}</p></header>
  <div class="kern-card__body">
    <p class="kern-body">${need.description.length > 300 ? `${need.description.slice(0, 300)}…` : need.description}</p>
    <p class="kern-body kern-body--small">${t(`needStatus.${need.status}` as MessageKey)} · ${n('needs.matchCount', need.matchCount)}${need.supporterCount > 0 ? html` · ${n('needs.supporters', need.supporterCount)}` : ''}${need.deadline ? html` · ${t('needs.deadline', { date: page.i18n.date(need.deadline) })}` : ''}</p>
  </div>
</div></article></li>`;
}

/** The needs list: a GET filter form (works without JavaScript), the needs newest first, a cursor link. */
export function needListView(page: PageContext, filter: NeedFilter, list: NeedList, nextUrl: string | null): Html {
  const { t } = page.i18n;
  const session = page.session;
  return html`<h1 class="kern-heading-x-large">${t('needs.listTitle')}</h1>
<p class="kern-body">${t('needs.listLead')}</p>
<p class="kern-body">${session ? html`<a class="kern-link" href="/needs/new">${t('needs.post')}</a>` : html`<a class="kern-link" href="/sign-in?next=%2Fneeds%2Fnew">${t('needs.signInToPost')}</a>`}</p>
<div class="th-layout th-section">
  <aside aria-labelledby="needs-filter">${filterForm(page, filter)}</aside>
  <section aria-labelledby="needs-results">
    <h2 class="kern-heading-medium" id="needs-results">${t('search.results')}</h2>
    ${list.items.length
      ? html`<ul class="th-results">${list.items.map((need) => needItem(page, need))}</ul>`
      : html`<p class="kern-body" role="status">${t('needs.none')}</p>`}
    ${nextUrl ? html`<nav class="th-pagination" aria-label="${t('search.pagination')}"><a class="kern-link" rel="next" href="${nextUrl}">${t('needs.next')}</a></nav>` : ''}
  </section>
</div>`;
}
