import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { EXIT_NEGATIVE, EXIT_OK, printJson, UsageError } from './exit-codes.js';

type Result = { type: string; key: string; message: string; line: number; column: number };
type Validation = { valid: boolean; version: string | null; results: Result[] };
type Validator = (input: Uint8Array, options: { baseDir: string }) => Validation | Promise<Validation>;

/**
 * The validator is written in the publiccode work of the same issue; loaded by a computed
 * specifier so the CLI still builds and runs its other commands while that module is missing.
 */
const VALIDATOR_MODULE = '../../metadata/publiccode/index.js';

/** `transferhub publiccode validate <file> [--json]` */
export async function publiccodeValidate(file: string, json: boolean): Promise<number> {
  // Bytes, not text: the validator refuses a file that is not UTF-8, which reading as 'utf8' would hide.
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch {
    throw new UsageError(`cannot read / nicht lesbar: ${file}`);
  }
  const { validatePubliccode } = (await import(VALIDATOR_MODULE)) as { validatePubliccode: Validator };
  const result = await validatePubliccode(bytes, { baseDir: dirname(resolve(file)) });
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
