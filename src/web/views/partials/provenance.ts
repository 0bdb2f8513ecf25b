import type { Provenance } from '../../../domain/federation/provenance';
import { html, type Html } from '../../html';
import type { Translator } from '../../i18n';

/**
 * "From hub X, last received on …" under a mirrored entry's heading: it can only be changed at
 * that hub, and the date says how current our copy is. Nothing for a local entry.
 */
export function provenanceNote(provenance: Provenance, i18n: Translator): Html | '' {
  const text = provenanceText(provenance, i18n);
  return text ? html`<p class="kern-body kern-body--small th-provenance">${text}</p>` : '';
}

/** The same words inside a line of a list (a release): after a separator, nothing for a local record. */
export function provenanceInline(provenance: Provenance, i18n: Translator): Html | '' {
  const text = provenanceText(provenance, i18n);
  return text ? html` · <span class="th-provenance">${text}</span>` : '';
}

function provenanceText(provenance: Provenance, i18n: Translator): string | null {
  if (provenance.origin === 'local') return null;
  return provenance.receivedAt
    ? i18n.t('provenance.mirrored', { hub: provenance.origin, date: i18n.date(provenance.receivedAt) })
    : i18n.t('provenance.mirroredUndated', { hub: provenance.origin });
}
