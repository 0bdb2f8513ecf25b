import { readFileSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { validatePubliccode } from '../../metadata/publiccode/index.js';
import { EXIT_NEGATIVE, EXIT_OK, printJson, UsageError } from './exit-codes.js';
import { githubAnnotations, gitlabCodeQuality, type Finding } from './publiccode-annotations.js';

const FORMATS = ['text', 'json', 'github', 'gitlab'] as const;
type Format = (typeof FORMATS)[number];

/** `transferhub publiccode validate <file> [--json | --format text|json|github|gitlab]` */
export function run(args: string[]): number {
  const { values, positionals } = parseArgs({
    args,
    options: { json: { type: 'boolean', default: false }, format: { type: 'string' } },
    allowPositionals: true,
  });
  if (positionals.length !== 1) throw new UsageError('wrong number of arguments');
  const format = values.format ?? (values.json ? 'json' : 'text');
  if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`);
  return publiccodeValidate(positionals[0]!, format as Format);
}

export function publiccodeValidate(file: string, format: Format): number {
  // Bytes, not text: the validator refuses a file that is not UTF-8, which reading as 'utf8' would hide.
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch {
    throw new UsageError(`cannot read / nicht lesbar: ${file}`);
  }
  const result = validatePubliccode(bytes, { baseDir: dirname(resolve(file)) });
  const findings: Finding[] = result.results.map(({ type, key, message, line, column }) => ({ type, key, message, line, column }));
  const pick = (type: string) => findings.filter((f) => f.type === type).map(({ key, message, line, column }) => ({ key, message, line, column }));
  // CI annotations name the file relative to the checkout (the job's working directory), with '/'.
  const path = relative(process.cwd(), resolve(file)).split(sep).join('/');
  if (format === 'json') {
    printJson({ valid: result.valid, version: result.version, errors: pick('error'), warnings: pick('warning') });
  } else if (format === 'gitlab') {
    printJson(gitlabCodeQuality(path, findings));
  } else {
    if (format === 'github') for (const line of githubAnnotations(path, findings)) console.log(line);
    console.log(`${path}: ${result.valid ? 'valid / gültig' : 'invalid / ungültig'} (publiccodeYmlVersion ${result.version ?? '?'})`);
    if (format === 'text') {
      for (const e of pick('error')) console.log(`  error / Fehler ${e.line}:${e.column} ${e.key}: ${e.message}`);
      for (const w of pick('warning')) console.log(`  warning / Warnung ${w.line}:${w.column} ${w.key}: ${w.message}`);
    }
  }
  return result.valid ? EXIT_OK : EXIT_NEGATIVE;
}
