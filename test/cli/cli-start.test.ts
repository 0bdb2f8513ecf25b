import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CLI_BIN } from '../helpers/cli';

const ROOT = pathToFileURL(join(import.meta.dirname, '..', '..')).href;

/**
 * The modules a `transferhub` run loads, as an ESM resolve hook sees them (registered with
 * --import before the CLI starts): the project's own files and packages outside tsx's loader.
 */
function modulesLoadedBy(args: string[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'cli-modules-'));
  writeFileSync(join(dir, 'hooks.mjs'), `export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  process.stderr.write('loaded-module ' + result.url + '\\n');
  return result;
}\n`);
  writeFileSync(join(dir, 'register.mjs'), `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(join(dir, 'hooks.mjs')).href)});\n`);
  const run = spawnSync(process.execPath, ['--import', join(dir, 'register.mjs'), CLI_BIN, ...args], { encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  return [...run.stderr.matchAll(/^loaded-module (\S+)$/gm)]
    .map((match) => match[1]!)
    .filter((url) => url.startsWith(ROOT) && !/\/node_modules\/(tsx|get-tsconfig|esbuild|resolve-pkg-maps)\//.test(url))
    .map((url) => url.slice(ROOT.length + 1))
    // Compiled (bin runs dist/ when it is built), dist/…/x.js stands for src/…/x.ts.
    .map((path) => (path.startsWith('dist/') ? path.replace(/^dist\/(src\/)?/, 'src/').replace(/\.js$/, '.ts') : path));
}

describe('transferhub start', { timeout: 60_000 }, () => {
  it('--help loads the entry and the exit codes only: no command, no package of the hub, no metadata corpus', () => {
    expect(modulesLoadedBy(['--help'])).toEqual(['bin/transferhub.js', 'src/cli/main.ts', 'src/cli/commands/exit-codes.ts']);
  });

  it('a command loads its own module when it runs (spdx check loads the SPDX lists, not the licence texts)', () => {
    const loaded = modulesLoadedBy(['spdx', 'check', 'MIT']);
    expect(loaded).toContain('src/cli/commands/spdx.command.ts');
    expect(loaded.some((path) => path.startsWith('node_modules/spdx-license-ids/'))).toBe(true);
    expect(loaded.filter((path) => /licence|publiccode|release-push|fastify|drizzle|node_modules\/pg\//.test(path))).toEqual([]);
  });
});
