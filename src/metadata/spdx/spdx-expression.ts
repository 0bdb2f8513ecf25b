import parse, { type SpdxNode } from 'spdx-expression-parse';
import correct from 'spdx-correct';
import {
  canonicalExceptionId,
  canonicalLicenseId,
  isDeprecatedExceptionId,
  isDeprecatedLicenseId,
} from './spdx-ids.js';

export type SpdxCheck = {
  valid: boolean;
  /** Canonical form when valid (ids in their SPDX case, operators upper-case). */
  normalised: string | null;
  error: string | null;
  deprecated: string[];
  suggestion: string | null;
};

/**
 * Profile (the sources of our conformance corpus disagree, see bench/conformance/spdx.ts):
 * - syntax is spdx-expression-parse's: surrounding spaces are fine, tabs and newlines are not,
 *   operators in any case (`aNd` too), `+` glued to the id, WITH only after a simple id;
 * - licence and exception ids match case-insensitively (SPDX spec, go-spdx): `mit` is `MIT`;
 * - `LicenseRef-`/`DocumentRef-` are case-sensitive prefixes (spec: `licenseref-x` is invalid);
 * - deprecated ids are valid and listed in `deprecated`, with the current form as `suggestion`.
 */
export function checkSpdxExpression(expression: string): SpdxCheck {
  if (expression.trim() === '') {
    return invalid('empty licence expression', null);
  }
  const canonicalCase = canonicaliseIdCase(expression);
  let tree: SpdxNode;
  try {
    tree = parse(canonicalCase);
  } catch (error) {
    // spdx-expression-parse fails with a TypeError when the input ends after an operator or "(".
    const message =
      error instanceof TypeError
        ? 'incomplete expression: an operator or "(" is not followed by a licence'
        : describeParseError(canonicalCase, (error as Error).message);
    return invalid(message, suggestFor(expression));
  }
  const deprecated = [...new Set(deprecatedIdsIn(tree))];
  const normalised = renderSpdxNode(tree);
  const upgraded = deprecated.length > 0 ? renderSpdxNode(upgradeDeprecated(tree)) : null;
  return {
    valid: true,
    normalised,
    error: null,
    deprecated,
    suggestion: upgraded !== null && upgraded !== normalised ? upgraded : null,
  };
}

/** The parsed tree of a valid expression (ids in canonical case), or null. */
export function parseSpdxExpression(expression: string): SpdxNode | null {
  if (expression.trim() === '') return null;
  try {
    return parse(canonicaliseIdCase(expression));
  } catch {
    return null;
  }
}

/** Every licence id of an expression (with `+` and `WITH` exception kept), in order, without duplicates. */
export function licenceTermsOf(node: SpdxNode): string[] {
  if ('conjunction' in node) return [...new Set([...licenceTermsOf(node.left), ...licenceTermsOf(node.right)])];
  return [renderSpdxNode(node)];
}

/**
 * Upper-case operators and as few parentheses as the precedence (WITH > AND > OR) allows:
 * AND and OR are associative, so only an OR below an AND needs them.
 */
export function renderSpdxNode(node: SpdxNode): string {
  if (!('conjunction' in node)) {
    return `${node.license}${node.plus ? '+' : ''}${node.exception ? ` WITH ${node.exception}` : ''}`;
  }
  const side = (child: SpdxNode): string => {
    const text = renderSpdxNode(child);
    return node.conjunction === 'and' && 'conjunction' in child && child.conjunction === 'or' ? `(${text})` : text;
  };
  return `${side(node.left)} ${node.conjunction.toUpperCase()} ${side(node.right)}`;
}

/** Join expressions with AND, parenthesising OR parts; duplicates dropped. */
export function joinWithAnd(expressions: string[]): string {
  const unique = [...new Set(expressions)];
  if (unique.length === 1) return unique[0]!;
  return unique.map((part) => (/\sOR\s/.test(part) ? `(${part})` : part)).join(' AND ');
}

const OPERATORS = new Set(['and', 'or', 'with']);

/**
 * Rewrite known licence and exception ids to their SPDX case before handing the text to
 * spdx-expression-parse, which compares case-sensitively. Everything else (spacing, refs,
 * unknown words) is left exactly as written so that the parser judges the syntax.
 */
function canonicaliseIdCase(expression: string): string {
  return expression.replace(/[A-Za-z0-9][A-Za-z0-9.-]*/g, (word, offset: number) => {
    if (OPERATORS.has(word.toLowerCase())) return word;
    if (word.startsWith('LicenseRef-') || word.startsWith('DocumentRef-')) return word;
    // The part after `DocumentRef-…:` belongs to the reference.
    if (offset > 0 && expression[offset - 1] === ':') return word;
    return canonicalLicenseId(word) ?? canonicalExceptionId(word) ?? word;
  });
}

function deprecatedIdsIn(node: SpdxNode): string[] {
  if ('conjunction' in node) return [...deprecatedIdsIn(node.left), ...deprecatedIdsIn(node.right)];
  const found: string[] = [];
  if (isDeprecatedLicenseId(node.license)) found.push(node.license);
  if (node.exception && isDeprecatedExceptionId(node.exception)) found.push(node.exception);
  return found;
}

/** Deprecated ids replaced by spdx-correct's current form (`GPL-2.0+` → `GPL-2.0-or-later`). */
function upgradeDeprecated(node: SpdxNode): SpdxNode {
  if ('conjunction' in node) {
    return { left: upgradeDeprecated(node.left), conjunction: node.conjunction, right: upgradeDeprecated(node.right) };
  }
  if (!isDeprecatedLicenseId(node.license)) return node;
  const upgraded = correct(`${node.license}${node.plus ? '+' : ''}`, { upgrade: true });
  if (upgraded === null || upgraded.includes(' ')) return node;
  return { license: upgraded, ...(node.exception ? { exception: node.exception } : {}) };
}

/**
 * A corrected expression for a near miss: spdx-correct on the whole text (`Apache 2`), else on
 * each operand. Offered only when the corrected expression is itself valid.
 */
function suggestFor(expression: string): string | null {
  const whole = correct(expression.trim());
  if (whole !== null) return whole;
  const parts = expression.trim().split(/(\s+(?:AND|OR|WITH)\s+|[()])/i);
  let changed = false;
  const fixed = parts.map((part, index) => {
    if (index % 2 === 1 || part.trim() === '') return part;
    const term = part.trim();
    if (canonicalLicenseId(term) || canonicalExceptionId(term) || term.includes('LicenseRef-')) return part;
    const corrected = correct(term);
    if (corrected === null) return part;
    changed = true;
    return part.replace(term, corrected);
  });
  if (!changed) return null;
  const candidate = fixed.join('');
  const tree = parseSpdxExpression(candidate);
  return tree === null ? null : renderSpdxNode(tree);
}

/** spdx-expression-parse says "Unexpected `I` at offset 7"; name the unknown id instead where there is one. */
function describeParseError(expression: string, message: string): string {
  const offset = /at offset (\d+)/.exec(message);
  if (offset) {
    const word = /^[A-Za-z0-9][A-Za-z0-9.+-]*/.exec(expression.slice(Number(offset[1])))?.[0];
    if (word && !OPERATORS.has(word.toLowerCase())) return `unknown licence id '${word}' at offset ${offset[1]}`;
  }
  return message;
}

function invalid(error: string, suggestion: string | null): SpdxCheck {
  return { valid: false, normalised: null, error, deprecated: [], suggestion };
}
