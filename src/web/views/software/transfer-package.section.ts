import type { ReadResult } from '../../../db/json-read';
import { transferItemsOfSoftwareRead, transferPackageOf } from '../../../domain/transfer/transfer-package.service';
import type { TransferItemView } from '../../../domain/transfer/transfer-package.view';
import { html, type Html } from '../../html';
import type { MessageKey } from '../../i18n';
import type { PageContext } from '../../session/page-context';
import type { SoftwareSection } from './section';

type Line = ReturnType<typeof transferPackageOf>['kinds'][number];

const STATUS: Record<Line['status'], { key: MessageKey; badge: string }> = {
  present: { key: 'transfer.present', badge: 'success' },
  missing: { key: 'transfer.missing', badge: 'danger' },
  'not-applicable': { key: 'transfer.notApplicable', badge: 'info' },
};

/** Only http(s) becomes a link: an item's URL comes from an owner or a repository, never trusted as a scheme. */
const isWebLink = (href: string | null): href is string => href !== null && /^https?:\/\//i.test(href);

/** Where the item is: a link, a path in a registered repository (linked on its forge), or a mailbox. */
function where(page: PageContext, item: TransferItemView): Html {
  const { t } = page.i18n;
  const checked = item.lastCheckedOn ? html`<br><span class="kern-body--small">${t('transfer.checked', { date: page.i18n.date(item.lastCheckedOn) })}</span>` : '';
  if (item.email) return html`<a class="kern-link" href="mailto:${item.email}">${item.email}</a>${checked}`;
  if (item.path) {
    const path = isWebLink(item.href) ? html`<a class="kern-link" href="${item.href}"><code>${item.path}</code></a>` : html`<code>${item.path}</code>`;
    return html`${path}${item.repository ? html` <span class="kern-body--small">${t('transfer.inRepository', { repository: item.repository.url })}</span>` : ''}${checked}`;
  }
  if (isWebLink(item.url)) return html`<a class="kern-link" href="${item.url}">${item.url}</a>${checked}`;
  return html`${item.url ?? '–'}${checked}`;
}

/** The checklist of the 11 kinds: present, missing or not applicable, declared or discovered. */
export const transferPackageSection: SoftwareSection<ReadResult<typeof transferItemsOfSoftwareRead>> = {
  id: 'transfer-package',
  heading: 'transfer.title',
  read: () => transferItemsOfSoftwareRead,
  async render({ data: items, software, detail, page, headingId }) {
    const { t } = page.i18n;
    // The items as the page read them, the completeness as the detail read it.
    const pack = transferPackageOf(software, items, (await detail).transferPackage);
    return html`<h2 class="kern-heading-large" id="${headingId}">${t('transfer.title')}</h2>
<p class="kern-body">${t('transfer.lead')}</p>
<p class="kern-body"><strong>${t('transfer.completeness', { present: pack.present, applicable: pack.applicable })}</strong></p>
<div class="th-table-wrap"><table class="kern-table">
  <caption class="kern-sr-only">${t('transfer.caption')}</caption>
  <thead><tr class="kern-table__row">
    <th class="kern-table__header" scope="col">${t('transfer.kind')}</th>
    <th class="kern-table__header" scope="col">${t('transfer.status')}</th>
    <th class="kern-table__header" scope="col">${t('transfer.source')}</th>
    <th class="kern-table__header" scope="col">${t('transfer.where')}</th>
  </tr></thead>
  <tbody class="kern-table__body">${pack.kinds.map((line) => html`<tr class="kern-table__row">
    <th class="kern-table__cell" scope="row">${t(`transfer.kind.${line.kind}` as MessageKey)}</th>
    <td class="kern-table__cell"><span class="kern-badge kern-badge--${STATUS[line.status].badge}"><span class="kern-label kern-label--small">${t(STATUS[line.status].key)}</span></span></td>
    <td class="kern-table__cell">${line.item ? t(line.item.source === 'declared' ? 'transfer.declared' : 'transfer.discovered') : '–'}</td>
    <td class="kern-table__cell">${line.item ? where(page, line.item) : '–'}</td>
  </tr>`)}</tbody>
</table></div>`;
  },
};
