/**
 * A readable log for a person at a terminal, without pino-pretty (a devDependency, absent
 * after `npm ci --omit=dev`): pino's JSON lines become `12:04:05 INFO  message  key=value`.
 * Formatting happens in the process; logs on a terminal are few, so that costs nothing.
 */
const LEVELS: Record<number, { name: string; colour: string }> = {
  10: { name: 'TRACE', colour: '\x1b[90m' },
  20: { name: 'DEBUG', colour: '\x1b[36m' },
  30: { name: 'INFO ', colour: '\x1b[32m' },
  40: { name: 'WARN ', colour: '\x1b[33m' },
  50: { name: 'ERROR', colour: '\x1b[31m' },
  60: { name: 'FATAL', colour: '\x1b[35m' },
};
const RESET = '\x1b[0m';
const DIM = '\x1b[2m';
/** pino's fields that the line shows in its own way, or that a person does not need. */
const SHOWN_OR_HIDDEN = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'v', 'err', 'req', 'res']);

type Entry = Record<string, unknown> & { level?: number; time?: number; msg?: string };

function clock(time: number | undefined): string {
  const at = new Date(time ?? Date.now());
  return [at.getHours(), at.getMinutes(), at.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

function value(v: unknown): string {
  if (typeof v === 'string') return /\s/.test(v) ? JSON.stringify(v) : v;
  return JSON.stringify(v) ?? String(v);
}

/** One JSON log line as a readable line (and an error's stack below it); anything else unchanged. */
export function prettyLine(line: string, colour: boolean): string {
  let entry: Entry;
  try {
    entry = JSON.parse(line) as Entry;
  } catch {
    return line;
  }
  const level = LEVELS[entry.level ?? 30] ?? { name: String(entry.level), colour: '' };
  const paint = (text: string, code: string) => (colour ? `${code}${text}${RESET}` : text);
  const parts = [paint(clock(entry.time), DIM), paint(level.name, level.colour)];
  const req = entry.req as { method?: string; url?: string } | undefined;
  if (req) parts.push(`${req.method ?? ''} ${req.url ?? ''}`.trim());
  const res = entry.res as { statusCode?: number } | undefined;
  if (res?.statusCode !== undefined) parts.push(String(res.statusCode));
  if (entry.msg) parts.push(entry.msg);
  const fields = Object.entries(entry)
    .filter(([key]) => !SHOWN_OR_HIDDEN.has(key))
    .map(([key, v]) => paint(`${key}=${value(v)}`, DIM));
  let text = [...parts, ...fields].join(' ');
  const err = entry.err as { stack?: string; message?: string } | undefined;
  if (err) text += `\n    ${(err.stack ?? err.message ?? value(err)).replace(/\n/g, '\n    ')}`;
  return `${text}\n`;
}

/** A pino destination writing readable lines to `out` (colours only on a terminal). */
export function prettyDestination(out: NodeJS.WriteStream): { write(line: string): void } {
  const colour = out.isTTY === true;
  return { write: (line) => void out.write(prettyLine(line.trimEnd(), colour)) };
}
