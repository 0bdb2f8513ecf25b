import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { git } from './git-server';

export const CLI_BIN = join(import.meta.dirname, '..', '..', 'bin', 'transferhub.js');

export type CliRun = { code: number; stdout: string; stderr: string };

/**
 * `transferhub …` as a CI job runs it: its own process, only the variables given (plus PATH and
 * HOME). Asynchronous, so a hub listening in the test's own process keeps answering.
 */
export function runCli(args: string[], options: { env?: Record<string, string>; cwd?: string } = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI_BIN, ...args],
      { cwd: options.cwd, env: { PATH: process.env.PATH, HOME: process.env.HOME ?? tmpdir(), ...options.env }, encoding: 'utf8' },
      (error, stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? -1) : 0, stdout, stderr }),
    );
  });
}

/** A checkout with one commit and a tag: annotated (with its message and tagger date) or lightweight. */
export async function checkoutWithTag(tag: string, options: { message?: string; date: string }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cli-checkout-'));
  await git(dir, ['init', '-q', '-b', 'main']);
  await git(dir, ['commit', '-q', '--allow-empty', '-m', 'Erste Fassung'], '2024-05-02T09:00:00+02:00');
  await git(dir, options.message ? ['tag', '-a', tag, '-m', options.message] : ['tag', tag], options.date);
  return dir;
}
