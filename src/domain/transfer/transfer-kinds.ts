import { TRANSFER_KINDS, type TransferKind } from '../../db/schema/transfer-items';

export { TRANSFER_KINDS, type TransferKind };

/** What each kind is called on a page and in the API (German first: the audience is German municipalities). */
export const TRANSFER_KIND_LABELS: Record<TransferKind, { de: string; en: string }> = {
  'installation-guide': { de: 'Installationsanleitung', en: 'Installation guide' },
  'operations-manual': { de: 'Betriebshandbuch', en: 'Operations manual' },
  'system-requirements': { de: 'Systemvoraussetzungen (Komponenten, CPU/RAM, externe Dienste)', en: 'System requirements (components, CPU/RAM, external services)' },
  'running-costs': { de: 'Schätzung der Betriebskosten', en: 'Running-cost estimate' },
  procurement: { de: 'Vergabeunterlagen (Leistungsbeschreibung, Vergabeunterlagen)', en: 'Procurement texts (specification, tender documents)' },
  'cooperation-agreement': { de: 'Muster-Kooperationsvertrag', en: 'Cooperation agreement template' },
  'data-protection': { de: 'Datenschutz (VVT, DSFA, TOM)', en: 'Data protection (records of processing, DPIA, technical and organisational measures)' },
  'accessibility-statement': { de: 'Erklärung zur Barrierefreiheit (BITV 2.0)', en: 'Accessibility statement (BITV 2.0)' },
  'security-contact': { de: 'Sicherheitskontakt (SECURITY.md)', en: 'Security contact (SECURITY.md)' },
  'training-material': { de: 'Schulungsmaterial', en: 'Training material' },
  'reuse-contact': { de: 'Ansprechstelle für Nachnutzung', en: 'Contact for reuse questions' },
};

/** The kinds an item may name a mailbox for instead of a link: people to write to. */
export const CONTACT_KINDS: readonly TransferKind[] = ['security-contact', 'reuse-contact'];

export const isTransferKind = (value: string): value is TransferKind => (TRANSFER_KINDS as readonly string[]).includes(value);
