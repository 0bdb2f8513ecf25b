import { parseArgs } from 'node:util';

/** 0: valid / detected / published; 1: invalid / nothing detected / refused; 2: the command line or configuration is wrong. */
export const EXIT_OK = 0;
export const EXIT_NEGATIVE = 1;
export const EXIT_USAGE = 2;
/** The hub refused the token (401) or its scope or organisation (403). */
export const EXIT_AUTH = 3;
/** The software (or its repository) is not on the hub. */
export const EXIT_NOT_FOUND = 4;
/** The version is published with other notes or another URL (409). */
export const EXIT_CONFLICT = 5;
/** The hub could not be reached or kept failing (network errors, 5xx, 429) after the retries. */
export const EXIT_UNAVAILABLE = 6;

export class UsageError extends Error {}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** The one argument and `--json` of the checking commands (`spdx check <expression> [--json]`). */
export function parseTarget(args: string[]): { target: string; json: boolean } {
  const { values, positionals } = parseArgs({ args, options: { json: { type: 'boolean', default: false } }, allowPositionals: true });
  if (positionals.length !== 1) throw new UsageError('wrong number of arguments');
  return { target: positionals[0]!, json: values.json ?? false };
}
