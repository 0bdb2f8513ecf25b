import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { EXIT_NEGATIVE, EXIT_OK, printJson, UsageError } from './exit-codes.js';

type Result = { type: string; key: string; message: string; line: number; column: number };
type Validation = { valid: boolean; version: string | null; results: Result[] };
type Validator = (text: string, options: { baseDir: string }) => Validation | Promise<Validation>;

/**
 * The validator is written in the publiccode work of the same issue; loaded by a computed
 * specifier so the CLI still builds and runs its other commands while that module is missing.
 */
const VALIDATOR_MODULE = '../../metadata/publiccode/index.js';

/** `transferhub publiccode validate <file> [--json]` */
export async function publiccodeValidate(file: string, json: boolean): Promise<number> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`cannot read / nicht lesbar: ${file}`);
  }
  const { validatePubliccode } = (await import(VALIDATOR_MODULE)) as { validatePubliccode: Validator };
  const result = await validatePubliccode(text, { baseDir: dirname(resolve(file)) });
  const pick = (type: string) =>
    result.results.filter((r) => r.type === type).map(({ key, message, line, column }) => ({ key, message, line, column }));
  const errors = pick('error');
  const warnings = pick('warning');
  if (json) {
    printJson({ valid: result.valid, version: result.version, errors, warnings });
  } else {
    console.log(`${result.valid ? 'valid / gültig' : 'invalid / ungültig'} (publiccodeYmlVersion ${result.version ?? '?'})`);
    for (const e of errors) console.log(`  error / Fehler ${e.line}:${e.column} ${e.key}: ${e.message}`);
    for (const w of warnings) console.log(`  warning / Warnung ${w.line}:${w.column} ${w.key}: ${w.message}`);
  }
  return result.valid ? EXIT_OK : EXIT_NEGATIVE;
}
