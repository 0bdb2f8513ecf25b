/**
 * RFC 9421 section 2.5: the signature base, and the structured-field forms of Signature-Input
 * and Signature for the subset we use (one label, components as quoted strings with an optional
 * `req` flag, integer and string parameters). Hand-written: ~100 lines for exactly the components
 * the design covers are easier to audit than a general library's resolver, and the base is what
 * the RFC 9421 B.2.6 vector pins down.
 */

export type Component = { name: string; req?: boolean };
export type SignatureParams = {
  created: number;
  expires?: number;
  nonce?: string;
  keyid: string;
  alg?: string;
  tag?: string;
};

/** Order of serialisation: the RFC's examples put created first and keyid after it. */
const PARAM_ORDER = ['created', 'expires', 'nonce', 'keyid', 'alg', 'tag'] as const;

function quoted(value: string): string {
  // sf-string: printable ASCII only, with \ and " escaped (RFC 8941 section 3.3.3).
  if (!/^[\x20-\x7e]*$/.test(value)) throw new TypeError(`not a structured-field string: ${JSON.stringify(value)}`);
  return `"${value.replace(/[\\"]/g, (char) => `\\${char}`)}"`;
}

export function componentId(component: Component): string {
  return quoted(component.name) + (component.req ? ';req' : '');
}

export function serializeSignatureParams(components: Component[], params: SignatureParams): string {
  let text = `(${components.map(componentId).join(' ')})`;
  for (const name of PARAM_ORDER) {
    const value = params[name];
    if (value === undefined) continue;
    text += `;${name}=${typeof value === 'number' ? String(value) : quoted(value)}`;
  }
  return text;
}

/**
 * One line per covered component, then the @signature-params line. `valueOf` answers a
 * component's value or null when the message lacks it (which fails the signature, RFC 9421 2.5).
 */
export function signatureBase(
  components: Component[],
  params: SignatureParams | string,
  valueOf: (component: Component) => string | null,
): string {
  const lines = components.map((component) => {
    const value = valueOf(component);
    if (value === null) throw new SignatureBaseError(`the message has no ${componentId(component)}`);
    return `${componentId(component)}: ${value}`;
  });
  // A verifier passes the sender's serialisation as received (RFC 9421 3.2, step 5), so
  // parameters we do not interpret are still signed over exactly as sent.
  lines.push(`"@signature-params": ${typeof params === 'string' ? params : serializeSignatureParams(components, params)}`);
  return lines.join('\n');
}

export class SignatureBaseError extends Error {}

export type ParsedInput = { components: Component[]; params: Record<string, string | number | boolean>; raw: string };

/** The inner list of `label` from a Signature-Input field, or null if absent or not in our subset. */
export function parseSignatureInput(field: string | undefined, label: string): ParsedInput | null {
  const member = dictionaryMember(field, label);
  if (!member?.startsWith('(')) return null;
  const close = member.indexOf(')');
  if (close < 0) return null;
  const components: Component[] = [];
  const itemPattern = /"((?:[^"\\]|\\.)*)"(;req)?/gy;
  const inner = member.slice(1, close).trim();
  for (const raw of inner === '' ? [] : inner.split(/ +/)) {
    itemPattern.lastIndex = 0;
    const match = itemPattern.exec(raw);
    if (!match || itemPattern.lastIndex !== raw.length) return null;
    components.push({ name: unescape(match[1] ?? ''), ...(match[2] ? { req: true } : {}) });
  }
  const params: Record<string, string | number | boolean> = {};
  const paramPattern = /;([a-z*][a-z0-9_.*-]*)(?:=(?:"((?:[^"\\]|\\.)*)"|(-?\d{1,15})))?/gy;
  const rest = member.slice(close + 1);
  paramPattern.lastIndex = 0;
  while (paramPattern.lastIndex < rest.length) {
    const match = paramPattern.exec(rest);
    if (!match?.[1]) return null;
    params[match[1]] = match[2] !== undefined ? unescape(match[2]) : match[3] !== undefined ? Number(match[3]) : true;
  }
  return { components, params, raw: member };
}

/** The bytes of `label` in a Signature field (`label=:base64:`), or null. */
export function parseSignature(field: string | undefined, label: string): Buffer | null {
  const member = dictionaryMember(field, label);
  const match = member ? /^:([A-Za-z0-9+/=]*):$/.exec(member) : null;
  return match?.[1] !== undefined ? Buffer.from(match[1], 'base64') : null;
}

function unescape(text: string): string {
  return text.replace(/\\(.)/g, '$1');
}

/** The value of one member of a structured-field dictionary, split at top-level commas. */
function dictionaryMember(field: string | undefined, label: string): string | null {
  if (!field) return null;
  let depth = 0;
  let inString = false;
  let start = 0;
  const members: string[] = [];
  for (let index = 0; index < field.length; index++) {
    const char = field[index];
    if (inString) {
      if (char === '\\') index++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '(') depth++;
    else if (char === ')') depth--;
    else if (char === ',' && depth === 0) {
      members.push(field.slice(start, index));
      start = index + 1;
    }
  }
  members.push(field.slice(start));
  for (const member of members) {
    const trimmed = member.trim();
    const equals = trimmed.indexOf('=');
    if (equals > 0 && trimmed.slice(0, equals) === label) return trimmed.slice(equals + 1);
  }
  return null;
}
