import type { Provenance } from '../../../domain/federation/provenance';
import { html, type Html } from '../../html';
import type { Translator } from '../../i18n';

/**
 * "From hub X, last received on …" under a mirrored entry's heading: it can only be changed at
 * that hub, and the date says how current our copy is. Nothing for a local entry.
 */
export function provenanceNote(provenance: Provenance, i18n: Translator): Html | '' {
  if (provenance.origin === 'local') return '';
  const text = provenance.receivedAt
    ? i18n.t('provenance.mirrored', { hub: provenance.origin, date: i18n.date(provenance.receivedAt) })
    : i18n.t('provenance.mirroredUndated', { hub: provenance.origin });
  return html`<p class="kern-body kern-body--small th-provenance">${text}</p>`;
}
