import type { TransferKind } from '../../db/schema/transfer-items';
import type { PubliccodeModel } from '../../metadata/publiccode/types';
import { isWebUrl } from '../../lib/web-url';
import type { TreePath } from './tree-listing';

/** A transfer-package item the crawl found; stored as a discovered item of the repository. */
export type DiscoveredItem = { kind: TransferKind; path?: string; url?: string; email?: string; language?: string; origin: string };

/** Where documentation lives: the root, a documentation folder or one folder inside it (docs/de/, docs/betrieb/; tree-listing.ts lists these). */
const DOCS = String.raw`(?:(?:docs?|documentation|dokumentation|handbuch|manual)/(?:[^/]+/)?)?`;
/** A document, not code or data: no extension, or one of the formats people write documents in. */
const DOC_FILE = String.raw`(?:\.(?:md|markdown|rst|adoc|txt|html?|pdf|odt|docx?|ods|xlsx?))?`;
/** `name` as a document or a folder; a suffix such as "-de" or "_handbuch" is allowed, another extension (install.sh) is not. */
const named = (names: string) => new RegExp(String.raw`^${DOCS}(?:${names})(?:[-_][\p{L}\d-]*)?${DOC_FILE}$`, 'iu');

/**
 * Well-known names per kind (matched on the lower-cased path, German and English), checked in
 * this order; a path counts for the first kind it matches. Paths come from the tree listing only:
 * the crawl never reads these files. Examples: SECURITY.md, .github/SECURITY.md, INSTALL,
 * docs/installation.md, OPERATIONS.md, docs/betrieb/, DATENSCHUTZ.md, docs/datenschutz/,
 * barrierefreiheit.md, docs/accessibility-statement.md.
 */
const RULES: { kind: TransferKind; pattern: RegExp }[] = [
  // GitHub and GitLab show a security policy from the root, .github/ or docs/.
  { kind: 'security-contact', pattern: /^(?:\.github\/|\.gitlab\/|docs\/)?security(?:\.(?:md|txt|rst|adoc))?$/i },
  { kind: 'security-contact', pattern: /^(?:\.well-known\/)?security\.txt$/i },
  { kind: 'installation-guide', pattern: named('install|installation|installieren|setup|deployment|deploy') },
  { kind: 'operations-manual', pattern: named('operations|operating|betrieb|betriebshandbuch|betriebskonzept|administration|admin-guide|runbook') },
  // requirements.txt is Python's dependency list, not a document: only Markdown and prose formats count here.
  { kind: 'system-requirements', pattern: new RegExp(String.raw`^${DOCS}(?:systemvoraussetzungen|systemanforderungen|system-requirements|requirements|voraussetzungen)(?:\.(?:md|markdown|rst|adoc|html?|pdf))?$`, 'i') },
  { kind: 'running-costs', pattern: named('betriebskosten|kosten|costs|running-costs|kostenschaetzung|kostenschätzung') },
  { kind: 'procurement', pattern: named('vergabe|vergabeunterlagen|leistungsbeschreibung|ausschreibung|procurement|tender') },
  { kind: 'cooperation-agreement', pattern: named('kooperation|kooperationsvertrag|kooperationsvereinbarung|cooperation|cooperation-agreement') },
  { kind: 'data-protection', pattern: named('datenschutz|dsgvo|privacy|data-protection|vvt|dsfa|verarbeitungsverzeichnis') },
  { kind: 'accessibility-statement', pattern: named('barrierefreiheit|barrierefreiheitserklaerung|barrierefreiheitserklärung|accessibility|bitv') },
  { kind: 'training-material', pattern: named('schulung|schulungen|training|tutorial|tutorials|benutzerhandbuch|anwenderhandbuch|user-guide|user-manual') },
  { kind: 'reuse-contact', pattern: named('nachnutzung|reuse|kontakt|contact') },
];

/** Per kind, this many paths at most (root files first): a folder of 40 privacy documents is one finding, not 40. */
const MAX_PER_KIND = 3;

function fromTree(paths: TreePath[]): DiscoveredItem[] {
  const found: DiscoveredItem[] = [];
  const perKind = new Map<TransferKind, number>();
  // Shallow paths first: docs/datenschutz/ before docs/datenschutz/vvt.md.
  const ordered = [...paths].sort((a, b) => a.path.split('/').length - b.path.split('/').length || a.path.localeCompare(b.path));
  for (const { path } of ordered) {
    const rule = RULES.find((r) => r.pattern.test(path));
    if (!rule) continue;
    const n = perKind.get(rule.kind) ?? 0;
    if (n >= MAX_PER_KIND) continue;
    // A file inside a folder already found for the same kind adds nothing.
    if (found.some((item) => item.kind === rule.kind && item.path !== undefined && path.startsWith(`${item.path}/`))) continue;
    perKind.set(rule.kind, n + 1);
    found.push({ kind: rule.kind, path, origin: 'repository tree' });
  }
  return found;
}

/**
 * publiccode.yml keys that name transfer-package items: description.<lang>.documentation and
 * .apiDocumentation are the manuals operators work with (operations-manual); maintenance.contacts
 * with an e-mail are whom to ask about reuse (reuse-contact); legal.authorsFile lists the authors
 * (reuse-contact, a path). legal.license, repoOwner and mainCopyrightOwner are facts the entry
 * already shows (licence, organisation), not documents, so they add no item.
 */
function fromPubliccode(model: PubliccodeModel): DiscoveredItem[] {
  const found: DiscoveredItem[] = [];
  for (const [language, description] of Object.entries(model.description)) {
    for (const key of ['documentation', 'apiDocumentation'] as const) {
      const url = description[key];
      // Only http(s): the page renders these as links (see src/lib/web-url.ts).
      if (url && isWebUrl(url)) found.push({ kind: 'operations-manual', url, language: language.toLowerCase(), origin: `publiccode.yml: description.${language}.${key}` });
    }
  }
  model.maintenance.contacts.forEach((contact, i) => {
    const email = contact.email?.trim();
    if (email && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) found.push({ kind: 'reuse-contact', email, origin: `publiccode.yml: maintenance.contacts[${i}]` });
  });
  const authors = model.legal.authorsFile?.trim();
  if (authors && !/^[a-z][a-z0-9+.-]*:|^[\\/]|(^|\/)\.\.(\/|$)/i.test(authors)) {
    found.push({ kind: 'reuse-contact', path: authors.replace(/^\.\//, ''), origin: 'publiccode.yml: legal.authorsFile' });
  }
  return found;
}

/** The transfer-package items of a repository: by well-known paths, then from its publiccode.yml. */
export function discoverTransferItems(paths: TreePath[], publiccode: PubliccodeModel | null): DiscoveredItem[] {
  return [...fromTree(paths), ...(publiccode ? fromPubliccode(publiccode) : [])];
}
