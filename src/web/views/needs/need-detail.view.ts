import { categoryLabel } from '../../../metadata/categories';
import type { getNeed } from '../../../domain/needs/needs.service';
import { html, type Html } from '../../html';
import type { MessageKey } from '../../i18n';
import type { PageContext } from '../../session/page-context';
import { alert } from '../layout';
import { csrfField, submitButton } from '../partials/form';
import { snippetHtml } from '../partials/snippet';

type Need = Awaited<ReturnType<typeof getNeed>>;

function fact(key: MessageKey, value: Html | string, page: PageContext) {
  return html`<div class="kern-description-list-item"><dt class="kern-description-list-item__key">${page.i18n.t(key)}</dt><dd class="kern-description-list-item__value">${value}</dd></div>`;
}

function matchList(page: PageContext, need: Need): Html {
  const { t } = page.i18n;
  if (need.matches.length === 0) return html`<p class="kern-body">${t('needs.matchesNone')}</p>`;
  return html`<ol class="th-results">${need.matches.map((m) => {
    const reusers = m.reusedBy.filter((r) => r.verification !== 'disputed').map((r) => r.organisation.name);
    return html`<li><article class="kern-card"><div class="kern-card__container">
  <header class="kern-card__header"><h3 class="kern-title"><a class="kern-link" href="/software/${m.software.slug}">${m.software.name}</a></h3>
    <p class="kern-preline">${t('software.by', { organisation: m.software.organisation.name })}</p></header>
  <div class="kern-card__body">
    ${m.explanation.snippet ? html`<p class="kern-body">${snippetHtml(m.explanation.snippet.text)}</p>` : ''}
    ${m.explanation.matched.length ? html`<p class="kern-body kern-body--small">${t('search.matched', { fields: page.i18n.list(m.explanation.matched.map((f) => t(`field.${f}` as MessageKey))) })}</p>` : ''}
    ${reusers.length ? html`<p class="kern-body kern-body--small">${t('needs.reusedBy', { organisations: page.i18n.list(reusers) })}</p>` : ''}
  </div>
</div></article></li>`;
  })}</ol>`;
}

/** "We need this too": shown to a signed-in organisation that did not post or join the need yet. */
function joinBlock(page: PageContext, need: Need, error: string | undefined): Html | '' {
  const { t } = page.i18n;
  const session = page.session;
  if (!session) return html`<p class="kern-body"><a class="kern-link" href="/sign-in?next=${encodeURIComponent(`/needs/${need.id}`)}">${t('needs.signInToPost')}</a></p>`;
  if (need.organisation.id === session.organisation.id) return html`<p class="kern-body">${t('needs.yours')}</p>`;
  if (need.supporters.some((s) => s.organisation.id === session.organisation.id)) return html`<p class="kern-body">${t('needs.youJoined')}</p>`;
  if (need.status === 'closed' && !error) return '';
  return html`<p class="kern-body" id="join-lead">${t('needs.joinLead')}</p>
${error ? alert({ kind: 'danger', text: error }) : ''}
<form method="post" action="/needs/${need.id}/join" aria-describedby="join-lead">
  ${csrfField(page.csrfToken)}
  ${submitButton(t('needs.join'))}
</form>`;
}

export function needDetailView(page: PageContext, need: Need, joinError?: string): Html {
  const { t } = page.i18n;
  const none = t('form.optional');
  return html`<p class="kern-preline"><a class="kern-link" href="/needs">${t('needs.listTitle')}</a></p>
<h1 class="kern-heading-x-large">${need.title}</h1>
<p class="kern-preline">${t('needs.postedBy', { organisation: need.organisation.name, date: page.i18n.date(need.createdAt) })}</p>
<p class="kern-body th-preline">${need.description}</p>
<section class="th-section" aria-labelledby="need-facts"><h2 class="kern-heading-large" id="need-facts">${t('needs.facts')}</h2>
<dl class="kern-description-list">
  ${fact('needs.organisationLabel', html`<a class="kern-link" href="/organisations/${need.organisation.slug}">${need.organisation.name}</a>`, page)}
  ${fact('needs.statusLabel', t(`needStatus.${need.status}` as MessageKey), page)}
  ${fact('needs.categoriesLabel', need.categories.length ? page.i18n.list(need.categories.map((c) => categoryLabel(c, page.i18n.locale))) : none, page)}
  ${fact('needs.deadlineLabel', need.deadline ? page.i18n.date(need.deadline) : none, page)}
  ${fact('needs.budgetLabel', need.budgetBand ? t(`budget.${need.budgetBand}` as MessageKey) : none, page)}
</dl></section>
<section class="th-section" aria-labelledby="need-matches"><h2 class="kern-heading-large" id="need-matches">${t('needs.matches')}</h2>
${matchList(page, need)}</section>
<section class="th-section" id="supporters" aria-labelledby="need-supporters"><h2 class="kern-heading-large" id="need-supporters">${t('needs.supportersTitle')}</h2>
${need.supporters.length
  ? html`<ul class="th-plain-list">${need.supporters.map((s) => html`<li class="kern-body"><a class="kern-link" href="/organisations/${s.organisation.slug}">${s.organisation.name}</a> · ${page.i18n.date(s.joinedAt)}</li>`)}</ul>`
  : html`<p class="kern-body">${t('needs.noSupporters')}</p>`}
${joinBlock(page, need, joinError)}
</section>`;
}
