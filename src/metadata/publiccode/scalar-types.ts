/**
 * How the reference's YAML library (goccy/go-yaml) types a plain scalar, and how Go prints the
 * result when it lands in a string field. YAML 1.2's core schema differs on details that change
 * verdicts: `012…` with an 8 or 9 is a string there (not the number 12…), `0777` is octal, `1e5`
 * is a string, and a number put into a string field reads as Go prints it (`1.10` → `1.1`).
 */
export type ScalarValue = string | bigint | number | boolean | null;

const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);
const TRUES = new Set(['true', 'True', 'TRUE']);
const FALSES = new Set(['false', 'False', 'FALSE']);
const INFINITIES = new Map([
  ['.inf', Infinity], ['.Inf', Infinity], ['.INF', Infinity],
  ['+.inf', Infinity], ['+.Inf', Infinity], ['+.INF', Infinity],
  ['-.inf', -Infinity], ['-.Inf', -Infinity], ['-.INF', -Infinity],
  ['.nan', NaN], ['.NaN', NaN], ['.NAN', NaN],
]);

const UINT64_MAX = (1n << 64n) - 1n;
const INT64_MIN = -(1n << 63n);

export function typePlainScalar(text: string): ScalarValue {
  if (NULLS.has(text)) return null;
  if (TRUES.has(text)) return true;
  if (FALSES.has(text)) return false;
  const special = INFINITIES.get(text);
  if (special !== undefined) return special;
  return toNumber(text) ?? text;
}

function toNumber(value: string): bigint | number | null {
  if (!/^[0-9+\-.]/.test(value)) return null;
  const dots = value.split('.').length - 1;
  if (dots > 1) return null;
  const negative = value.startsWith('-');
  let normalized = value.startsWith('+') ? value.slice(1) : value;
  normalized = (normalized.startsWith('-') ? normalized.slice(1) : normalized).replaceAll('_', '');
  let base = 10;
  let digits = normalized;
  if (normalized.startsWith('0x')) [base, digits] = [16, normalized.slice(2)];
  else if (normalized.startsWith('0o')) [base, digits] = [8, normalized.slice(2)];
  else if (normalized.startsWith('0b')) [base, digits] = [2, normalized.slice(2)];
  else if (normalized.startsWith('0') && normalized.length > 1 && dots === 0) [base, digits] = [8, normalized.slice(1)];
  else if (dots === 1) {
    if (!/^(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/.test(normalized)) return null;
    const f = Number(normalized);
    if (!Number.isFinite(f)) return null; // Go: out of range is an error, and the scalar stays a string
    return negative ? -f : f;
  }
  const pattern = { 2: /^[01]+$/, 8: /^[0-7]+$/, 10: /^[0-9]+$/, 16: /^[0-9a-fA-F]+$/ }[base as 2 | 8 | 10 | 16];
  if (!pattern.test(digits)) return null;
  const prefix = { 2: '0b', 8: '0o', 10: '', 16: '0x' }[base as 2 | 8 | 10 | 16];
  const n = BigInt(`${prefix}${digits}`);
  if (negative) return -n < INT64_MIN ? null : -n;
  return n > UINT64_MAX ? null : n;
}

/** fmt.Sprint of what the decoder produced, which is what a Go string field receives. */
export function goSprint(value: ScalarValue): string {
  if (value === null) return '';
  if (typeof value === 'number') return goFloat(value);
  return String(value);
}

/** Go's %v of a float64 (strconv 'g', shortest): exponent form below 1e-4 and from 1e6, as `1e+06`. */
function goFloat(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (!Number.isFinite(f)) return f > 0 ? '+Inf' : '-Inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  const [mantissa = '', expText = '0'] = f.toExponential().split('e');
  const exp = Number(expText);
  if (exp >= -4 && exp < 6) return String(f);
  return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}
