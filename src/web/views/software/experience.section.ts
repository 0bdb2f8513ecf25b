import { mapRead, readsAsOne, type ReadResult } from '../../../db/json-read';
import { softwareExperienceRead } from '../../../domain/reuse/experience.service';
import { html, trusted, type Html } from '../../html';
import type { MessageKey } from '../../i18n';
import type { PageContext } from '../../session/page-context';
import { alert } from '../layout';
import { nestHeadings } from './readme.section';
import { softwareReusesRead, type ReuseView } from '../../../domain/reuse/reuse.service';
import { answerForm, reportForm } from './experience-forms';
import type { SoftwareSection } from './section';

type Experience = ReadResult<typeof softwareExperienceRead>;
type Report = Experience['items'][number];

function item(key: MessageKey, value: Html | string, page: PageContext) {
  return html`<div class="kern-description-list-item"><dt class="kern-description-list-item__key">${page.i18n.t(key)}</dt><dd class="kern-description-list-item__value">${value}</dd></div>`;
}

/** A distribution (hosting, cost band) as "label: n" in the order of the SQL aggregate (most first). */
function distribution(page: PageContext, prefix: 'hosting' | 'cost', rows: { value: string; count: number }[]): string {
  const { t } = page.i18n;
  if (rows.length === 0) return t('experience.noFigure');
  return page.i18n.list(rows.map((r) => `${t(`${prefix}.${r.value}` as MessageKey)}: ${page.i18n.number(r.count)}`));
}

function aggregates(page: PageContext, a: Experience['aggregates']): Html {
  const { t, n } = page.i18n;
  const none = t('experience.noFigure');
  return html`<h3 class="kern-heading-medium">${t('experience.summary')}</h3>
<dl class="kern-description-list">
  ${item('experience.count', page.i18n.number(a.reports), page)}
  ${item('experience.medianEffort', a.medianEffortPersonDays === null ? none : n('experience.personDays', a.medianEffortPersonDays), page)}
  ${item('experience.medianWeeks', a.medianWeeksToGoLive === null ? none : n('experience.weeks', a.medianWeeksToGoLive), page)}
  ${item('experience.hosting', distribution(page, 'hosting', a.hosting), page)}
  ${item('experience.costBand', distribution(page, 'cost', a.runningCostBand), page)}
  ${item('experience.recommendation', a.meanRecommendation === null ? none : t('experience.outOf5', { value: a.meanRecommendation }), page)}
</dl>`;
}

/**
 * One report: its figures, then the texts as the service stored them (Markdown rendered and
 * sanitised when written), headings nested under the report's h4. The contact comes from the
 * service, which gives it only when the author opted in.
 */
function report(page: PageContext, r: Report, answer: Html | ''): Html {
  const { t, n } = page.i18n;
  const text = (key: MessageKey, markup: string | null | undefined) =>
    markup ? html`<h4 class="kern-heading-small">${t(key)}</h4><div class="th-readme kern-body">${trusted(nestHeadings(markup, 4))}</div>` : '';
  return html`<article class="th-report" aria-labelledby="report-${r.id}">
<h3 class="kern-heading-medium" id="report-${r.id}">${t('experience.reportBy', { organisation: r.organisation.name, date: page.i18n.date(r.createdAt) })}</h3>
<dl class="kern-description-list">
  ${r.version ? item('experience.version', r.version, page) : ''}
  ${r.effortPersonDays !== null ? item('experience.effort', n('experience.personDays', r.effortPersonDays), page) : ''}
  ${r.weeksToGoLive !== null ? item('experience.weeksToGoLive', n('experience.weeks', r.weeksToGoLive), page) : ''}
  ${r.hosting ? item('experience.hosting', t(`hosting.${r.hosting}` as MessageKey), page) : ''}
  ${r.runningCostBand ? item('experience.costBand', t(`cost.${r.runningCostBand}` as MessageKey), page) : ''}
  ${item('experience.recommendation', t('experience.outOf5', { value: r.recommendation }), page)}
  ${r.adaptations ? item('experience.adaptations', r.adaptations, page) : ''}
  ${r.contact ? item('experience.contact', /^[^@\s]+@[^@\s]+$/.test(r.contact) ? html`<a class="kern-link" href="mailto:${r.contact}">${r.contact}</a>` : r.contact, page) : ''}
</dl>
${text('experience.whatWorked', r.whatWorked?.html)}
${text('experience.whatDidNotWork', r.whatDidNotWork?.html)}
${r.answer?.html ? html`<h4 class="kern-heading-small">${t('experience.answer', { date: page.i18n.date(r.answer.at) })}</h4><div class="th-readme kern-body">${trusted(nestHeadings(r.answer.html, 4))}</div>` : ''}
${answer}
</article>`;
}

/** Experience reports (Erfahrungsberichte): the SQL aggregates, then each visible report. */
const withReuses = readsAsOne({ experience: softwareExperienceRead, reuses: softwareReusesRead });
const withoutReuses = mapRead(softwareExperienceRead, (experience) => ({ experience, reuses: [] as ReuseView[] }));

export const experienceSection: SoftwareSection<{ experience: Experience; reuses: ReuseView[] }> = {
  id: 'experience',
  heading: 'experience.title',
  // Signed in with a reuse token, the reuses too: the form appears once the organisation has a standing reuse record.
  read: (page) => (hasReuseScope(page) ? withReuses : withoutReuses),
  async render({ data: { experience, reuses }, detail: loading, page, headingId, form }) {
    const { t } = page.i18n;
    const session = page.session;
    const scopes = session?.principal.kind === 'token' ? session.principal.scopes : [];
    const detail = await loading;
    const producer = session?.organisation.id === detail.organisation.id && scopes.includes('publish');
    const ownReuse = reuses.find((r) => r.organisation.id === session?.organisation.id && r.withdrawnAt === null);
    const formFor = (name: string) => (form?.section === name ? form : undefined);
    const answerFor = (r: Report) => {
      const sent = formFor(`answer:${r.id}`);
      // Answered already (perhaps meanwhile, in another tab): no form, but the refusal is shown where the form was.
      if (r.answer) return sent?.summary ? alert({ kind: 'danger', text: sent.summary }) : '';
      return producer && r.organisation.id !== detail.organisation.id ? answerForm(page, detail.slug, r.id, sent) : '';
    };
    return html`<h2 class="kern-heading-large" id="${headingId}">${t('experience.title')}</h2>
${experience.items.length === 0
  ? html`<p class="kern-body">${t('experience.none')}</p>`
  : html`${aggregates(page, experience.aggregates)}${experience.items.map((r) => report(page, r, answerFor(r)))}`}
${ownReuse ? reportForm(page, detail.slug, formFor('experience')) : ''}`;
  },
};

function hasReuseScope(page: PageContext) {
  const principal = page.session?.principal;
  return principal?.kind === 'token' && principal.scopes.includes('reuse');
}
