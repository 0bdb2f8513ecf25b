import { html } from '../../html';
import type { SoftwareSection } from './section';

/** Whether the repository describes itself in publiccode.yml, and what is wrong with it. */
export const publiccodeSection: SoftwareSection = {
  id: 'publiccode',
  heading: 'software.publiccode',
  async render({ detail: loading, page, headingId }) {
    const detail = await loading;
    const { t } = page.i18n;
    const pc = detail.publiccode;
    const errors = pc?.results.filter((r) => r.type === 'error') ?? [];
    return html`<h2 class="kern-heading-large" id="${headingId}">${t('software.publiccode')}</h2>
${!pc
  ? html`<p class="kern-body">${t('software.publiccodeMissing')}</p>`
  : pc.valid
    ? html`<p class="kern-body"><span class="kern-badge kern-badge--success"><span class="kern-label kern-label--small">✓</span></span> ${t('software.publiccodeValid')}</p>`
    : html`<p class="kern-body">${page.i18n.n('software.publiccodeInvalid', errors.length)}</p>
<ul class="kern-body kern-body--small">${errors.slice(0, 10).map((e) => html`<li><code>${e.key}</code>: ${e.message}</li>`)}</ul>`}`;
  },
};
