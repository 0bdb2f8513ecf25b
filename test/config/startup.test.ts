import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

/** Starts an entry point as its own process, the way `npm start` / `npm run worker` do, and waits for it to exit. */
function start(entry: string, env: Record<string, string>) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', entry], {
    cwd: root,
    env: { PATH: process.env.PATH, HUB_DATA_DIR: mkdtempSync(join(tmpdir(), 'hub-config-')), ...env },
    encoding: 'utf8',
    // A process that passed the configuration check would start a hub; fail instead of waiting for it.
    timeout: 20_000,
  });
  return { code: run.status, stderr: run.stderr, stdout: run.stdout };
}

describe('starting with a bad setting', () => {
  for (const entry of ['src/server.ts', 'workers/main.ts', 'src/cli/migrate.ts']) {
    it(`${entry} with LOG_LEVEL=verbose says which values it accepts and exits 2, without a stack trace`, () => {
      const run = start(entry, { LOG_LEVEL: 'verbose' });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "verbose"');
      expect(run.stderr).not.toMatch(/\n\s+at /);
      expect(run.stdout).toBe('');
    });
  }

  it('a worker with a malformed number says so and exits 2', () => {
    const run = start('workers/main.ts', { HUB_WORKER_CONCURRENCY: 'many' });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('HUB_WORKER_CONCURRENCY must be an integer between 1 and 64, got "many"');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
