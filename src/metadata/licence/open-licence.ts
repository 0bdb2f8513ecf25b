import parse, { type SpdxNode } from 'spdx-expression-parse';
import licences from 'spdx-license-list';

/**
 * The licences the EUPL-1.2 appendix names as compatible (a work may be relicensed under them),
 * in SPDX form, "-or-later" variants included. Most are OSI-approved anyway; CC-BY-SA-3.0 and
 * CECILL-2.0 are not, and count because the funding programme accepts EUPL-compatible licences.
 */
const EUPL_COMPATIBLE = new Set(
  [
    'EUPL-1.1', 'EUPL-1.2', 'GPL-2.0-only', 'GPL-2.0-or-later', 'GPL-3.0-only', 'GPL-3.0-or-later', 'AGPL-3.0-only',
    'AGPL-3.0-or-later', 'OSL-2.1', 'OSL-3.0', 'EPL-1.0', 'CECILL-2.0', 'CECILL-2.1', 'MPL-2.0', 'LGPL-2.1-only',
    'LGPL-2.1-or-later', 'LGPL-3.0-only', 'LGPL-3.0-or-later', 'CC-BY-SA-3.0', 'LiLiQ-R', 'LiLiQ-Rplus',
  ].map((id) => id.toLowerCase()),
);

const OSI_APPROVED = new Set(
  Object.entries(licences as Record<string, { osiApproved: boolean }>)
    .filter(([, licence]) => licence.osiApproved)
    .map(([id]) => id.toLowerCase()),
);

export const isOpenLicenceId = (id: string) => OSI_APPROVED.has(id.toLowerCase()) || EUPL_COMPATIBLE.has(id.toLowerCase());

/** One may use the software under approved licences only: an OR needs one open side, an AND both; an exception keeps its licence's verdict. */
function open(node: SpdxNode): boolean {
  if ('conjunction' in node) return node.conjunction === 'or' ? open(node.left) || open(node.right) : open(node.left) && open(node.right);
  // `GPL-2.0+` is the deprecated spelling of GPL-2.0-or-later.
  return isOpenLicenceId(node.license) || (node.plus === true && isOpenLicenceId(`${node.license}-or-later`));
}

/**
 * Whether an SPDX expression lets one use the software under OSI-approved or EUPL-compatible
 * licences (the programme's funding condition). No licence, or one that does not parse: false.
 */
export function isOpenLicence(expression: string | null): boolean {
  if (!expression) return false;
  try {
    return open(parse(expression));
  } catch {
    return false;
  }
}
