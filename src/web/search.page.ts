import type { FastifyInstance } from 'fastify';
import { listSoftwarePage, type ListSoftwareQuery } from '../domain/catalogue/software.service';
import type { HubContext } from '../domain/context';
import { fold } from '../domain/search/query-words';
import { TRANSFER_BANDS, type SearchPage, type TransferBand } from '../domain/search/search.service';
import { html, trusted, type Html } from './html';
import type { MessageKey, Translator } from './i18n';
import { sendPage } from './render';
import { facetLabel } from './views/labels';
import { layout } from './views/layout';
import { searchForm } from './views/partials/search-form';
import { provenanceInline } from './views/partials/provenance';
import { snippetHtml } from './views/partials/snippet';
import { shortDescription } from './views/partials/software-item';

/** Results per page: one screenful of cards. */
const PAGE_SIZE = 20;

/** Facet (as the search service names it) → query parameter (as the API names it). */
const FACETS = [
  ['licence', 'licence'],
  ['category', 'category'],
  ['developmentStatus', 'status'],
  ['state', 'state'],
  ['organisationKind', 'organisationKind'],
  ['cohort', 'cohort'],
  ['productionReuse', 'productionReuse'],
  ['confirmedReuse', 'confirmedReuse'],
  ['transferPackage', 'transferPackage'],
] as const;
type Param = (typeof FACETS)[number][1];

const FACET_TITLE: Record<Param, MessageKey> = {
  licence: 'facet.licence',
  category: 'facet.category',
  status: 'facet.status',
  state: 'facet.state',
  organisationKind: 'facet.organisationKind',
  cohort: 'facet.cohort',
  productionReuse: 'facet.productionReuse',
  confirmedReuse: 'facet.confirmedReuse',
  transferPackage: 'facet.transferPackage',
};

type Chosen = Record<Param, string[]>;

const YES_ONLY = new Set<Param>(['productionReuse', 'confirmedReuse']);
const NONE_CHOSEN = Object.fromEntries(FACETS.map(([, param]) => [param, []])) as unknown as Chosen;

function list(value: unknown): string[] {
  const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
  // 200 characters: longer than any facet value; a longer one is no value of ours.
  return values.filter((v): v is string => typeof v === 'string' && v !== '' && v.length <= 200).slice(0, 20);
}

function parse(query: Record<string, unknown>) {
  const q = typeof query.q === 'string' ? query.q.slice(0, 200) : '';
  const chosen = Object.fromEntries(FACETS.map(([, param]) => [param, list(query[param])])) as Chosen;
  const cursor = typeof query.cursor === 'string' && query.cursor.length <= 500 ? query.cursor : undefined;
  return { q, chosen, cursor };
}

function toQuery(q: string, chosen: Chosen, cursor?: string): ListSoftwareQuery {
  const cohort = chosen.cohort.map(Number).filter(Number.isInteger);
  return {
    q: q.trim() || undefined,
    licence: chosen.licence,
    category: chosen.category,
    status: chosen.status,
    state: chosen.state,
    organisationKind: chosen.organisationKind,
    cohort,
    productionReuse: chosen.productionReuse.includes('true') ? true : undefined,
    confirmedReuse: chosen.confirmedReuse.includes('true') ? true : undefined,
    transferPackage: chosen.transferPackage.filter((band): band is TransferBand => (TRANSFER_BANDS as readonly string[]).includes(band)),
    facets: true,
    cursor,
    limit: PAGE_SIZE,
  };
}

function searchUrl(q: string, chosen: Chosen, extra: Record<string, string> = {}) {
  const params = new URLSearchParams();
  if (q) params.set('q', q);
  for (const [, param] of FACETS) for (const value of chosen[param]) params.append(param, value);
  for (const [k, v] of Object.entries(extra)) params.set(k, v);
  const text = params.toString();
  return text ? `/search?${text}` : '/search';
}

/**
 * How many entries match: the service counts facets over the whole result, and every entry has
 * exactly one production-reuse value, so that facet's counts add up to the result (its own
 * filter left out of its counts, hence the choice when it is set).
 */
function total(result: SearchPage, chosen: Chosen): number | null {
  const values = result.facets?.productionReuse;
  if (!values) return null;
  const counted = chosen.productionReuse.includes('true') ? values.filter((v) => v.value === 'true') : values;
  return counted.reduce((sum, v) => sum + v.count, 0);
}

function facetFieldsets(i18n: Translator, result: SearchPage, chosen: Chosen): Html[] {
  return FACETS.map(([facet, param]) => {
    // The yes/no facets offer their "yes" only (a filter for "no reuse" helps nobody looking for software to reuse).
    const values = (result.facets?.[facet] ?? []).filter((v) => !YES_ONLY.has(param) || v.value === 'true');
    // A chosen value with no entries left still shows, so it can be unticked.
    for (const value of chosen[param]) if (!values.some((v) => v.value === value)) values.push({ value, count: 0 });
    // Completeness bands read in their own order (none … complete), not by count.
    if (param === 'transferPackage') values.sort((a, b) => TRANSFER_BANDS.indexOf(a.value as TransferBand) - TRANSFER_BANDS.indexOf(b.value as TransferBand));
    if (values.length === 0) return html``;
    return html`<fieldset class="kern-fieldset">
  <legend class="kern-label">${i18n.t(FACET_TITLE[param])}</legend>
  <div class="kern-fieldset__body">
    ${values.map((v, index) => {
      const id = `f-${param}-${index}`;
      return html`<div class="kern-form-check">
      <input class="kern-form-check__checkbox" type="checkbox" id="${id}" name="${param}" value="${v.value}"${chosen[param].includes(v.value) ? html` checked` : ''}>
      <label class="kern-label" for="${id}">${facetLabel(i18n, param, v.value)} <span class="kern-body--muted">(${i18n.number(v.count)})</span></label>
    </div>`;
    })}
  </div>
</fieldset>`;
  });
}

function resultItem(i18n: Translator, item: SearchPage['items'][number]): Html {
  const matched = item.search?.matched ?? [];
  return html`<li><article class="kern-card"><div class="kern-card__container">
  <header class="kern-card__header"><h3 class="kern-title"><a class="kern-link" href="/software/${item.slug}">${item.name}</a></h3>
    <p class="kern-preline">${i18n.t('software.by', { organisation: item.organisation.name })}${item.licence ? html` · ${item.licence}` : ''}${provenanceInline(item.provenance, i18n)}</p></header>
  <div class="kern-card__body">
    <p class="kern-body">${item.search?.snippet ? snippetHtml(item.search.snippet.text) : shortDescription(item, i18n)}</p>
    ${matched.length ? html`<p class="kern-body kern-body--small kern-body--muted">${i18n.t('search.matched', { fields: i18n.list(matched.map((f) => i18n.t(`field.${f}`))) })}</p>` : ''}
  </div>
</div></article></li>`;
}

export default async function searchPage(app: FastifyInstance, { hub }: { hub: HubContext }) {
  app.get('/search', { schema: { hide: true } }, async (request, reply) => {
    const page = request.page;
    const { t } = page.i18n;
    const { q, chosen, cursor } = parse(request.query as Record<string, unknown>);
    const result = await listSoftwarePage(hub, toQuery(q, chosen, cursor));
    const count = total(result, chosen);
    const corrections = result.query?.corrections.filter((c) => c.terms.length > 0) ?? [];
    const corrected = correctedQuery(q, corrections);
    const filtered = FACETS.some(([, param]) => chosen[param].length > 0);
    const notices: Html[] = [];
    const alsoSearched = [...new Set(corrections.flatMap((c) => c.terms))];
    if (result.query?.mode === 'fuzzy' && alsoSearched.length && result.items.length) notices.push(html`<p class="kern-body">${t('search.corrected', { terms: page.i18n.list(alsoSearched) })}</p>`);
    if (result.query?.mode === 'partial' && result.items.length) notices.push(html`<p class="kern-body">${t('search.partial')}</p>`);
    const noResults = result.items.length === 0
      ? html`<div class="kern-alert kern-alert--info" role="status"><div class="kern-alert__header"><span class="kern-icon kern-icon--info" aria-hidden="true"></span><h2 class="kern-title">${t('search.noResults')}</h2></div>
  <div class="kern-alert__body">
    ${q ? html`<p class="kern-body">${t('search.noResultsText', { q })}</p>` : ''}
    ${corrected ? html`<p class="kern-body">${trusted(escapeWithLink(t('search.didYouMean', { suggestion: '\u0000' }), corrected, searchUrl(corrected, chosen)))}</p>` : ''}
    <p class="kern-body">${t('search.broader')}</p>
  </div></div>`
      : '';
    const title = q ? t('search.titleFor', { q }) : t('search.title');
    const fieldsets = facetFieldsets(page.i18n, result, chosen);
    const body = html`<h1 class="kern-heading-x-large">${title}</h1>
${searchForm(page.i18n, q)}
<div class="th-layout th-section">
  <aside aria-labelledby="filters">
    <h2 class="kern-heading-medium" id="filters">${t('search.filters')}</h2>
    ${fieldsets.some((f) => f.value !== '')
      ? html`<form class="th-facets" method="get" action="/search">
      ${q ? html`<input type="hidden" name="q" value="${q}">` : ''}
      ${fieldsets}
      <button class="kern-btn kern-btn--secondary" type="submit"><span class="kern-label">${t('search.applyFilters')}</span></button>
    </form>`
      : ''}
    ${filtered ? html`<p class="kern-body"><a class="kern-link" href="${searchUrl(q, NONE_CHOSEN)}">${t('search.resetFilters')}</a></p>` : ''}
  </aside>
  <section aria-labelledby="results">
    <h2 class="kern-heading-medium" id="results">${t('search.results')}</h2>
    <p class="kern-body kern-body--bold" id="result-count" role="status">${count !== null ? page.i18n.n(q ? 'search.count' : 'search.countAll', count) : ''}</p>
    ${notices}
    ${noResults}
    ${result.items.length ? html`<ul class="th-results">${result.items.map((item) => resultItem(page.i18n, item))}</ul>` : ''}
    ${result.nextCursor || cursor
      ? html`<nav class="th-pagination" aria-label="${t('search.pagination')}">
      ${cursor ? html`<a class="kern-link" href="${searchUrl(q, chosen)}">${t('search.first')}</a>` : ''}
      ${result.nextCursor ? html`<a class="kern-link" rel="next" href="${searchUrl(q, chosen, { cursor: result.nextCursor })}">${t('search.next')}</a>` : ''}
    </nav>`
      : ''}
  </section>
</div>`;
    return sendPage(reply, layout(page, { title, body, scripts: true }));
  });
}

/** The query with each misspelt word replaced by the service's first correction (null: none). */
function correctedQuery(q: string, corrections: { word: string; terms: string[] }[]) {
  if (corrections.length === 0) return null;
  const byWord = new Map(corrections.map((c) => [c.word, c.terms[0]!]));
  const words = q.split(/\s+/).filter(Boolean);
  const out = words.map((word) => byWord.get(fold(word)) ?? word);
  return out.some((word, i) => word !== words[i]) ? out.join(' ') : null;
}

/** A message with a link in place of its \u0000 marker; message and link text escaped. */
function escapeWithLink(message: string, text: string, href: string) {
  const [before, after] = message.split('\u0000');
  return `${html`${before}`.value}<a class="kern-link" href="${html`${href}`.value}">${html`${text}`.value}</a>${html`${after ?? ''}`.value}`;
}
