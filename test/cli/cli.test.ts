import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import spdxFull from 'spdx-license-list/full';
import { describe, expect, it } from 'vitest';
import { VALID as VALID_PUBLICCODE } from '../helpers/publiccode-fixture';

const bin = join(import.meta.dirname, '..', '..', 'bin', 'transferhub.js');
const cli = (...args: string[]) => cliIn(undefined, ...args);
const cliIn = (cwd: string | undefined, ...args: string[]) => {
  const run = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
};

describe('transferhub CLI', () => {
  it('spdx check --json prints one object with the normalised expression and exits 0', () => {
    const run = cli('spdx', 'check', 'mit or apache-2.0', '--json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ valid: true, normalised: 'MIT OR Apache-2.0', error: null });
  });

  it('spdx check exits 1 for an invalid expression', () => {
    const run = cli('spdx', 'check', 'Apache 2', '--json');
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ valid: false, normalised: null });
  });

  it('licence detect reads a folder and exits 0 when it finds a licence', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-licence-'));
    writeFileSync(join(dir, 'LICENSE'), spdxFull['EUPL-1.2']!.licenseText);
    const run = cli('licence', 'detect', dir, '--json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ spdx: 'EUPL-1.2', files: [{ path: 'LICENSE', spdx: 'EUPL-1.2' }] });
  });

  it('licence detect exits 1 with NOASSERTION for a file without a licence', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-licence-'));
    writeFileSync(join(dir, 'notes.txt'), 'nothing to see');
    const run = cli('licence', 'detect', join(dir, 'notes.txt'), '--json');
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).spdx).toBe('NOASSERTION');
  });

  it('publiccode validate --json reports errors with key, message and position', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-publiccode-'));
    writeFileSync(join(dir, 'publiccode.yml'), 'publiccodeYmlVersion: "0"\nname: x\n');
    const run = cli('publiccode', 'validate', join(dir, 'publiccode.yml'), '--json');
    expect(run.code).toBe(1);
    const output = JSON.parse(run.stdout);
    expect(output.valid).toBe(false);
    expect(output.errors.length).toBeGreaterThan(0);
    expect(Object.keys(output.errors[0]).sort()).toEqual(['column', 'key', 'line', 'message']);
  });

  it('publiccode validate refuses a Latin-1 file: publiccode.yml must be UTF-8', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-publiccode-'));
    const file = join(dir, 'publiccode.yml');
    writeFileSync(file, Buffer.from(VALID_PUBLICCODE, 'latin1'));
    const run = cli('publiccode', 'validate', file, '--json');
    expect(run.code).toBe(1);
    const output = JSON.parse(run.stdout);
    expect(output.valid).toBe(false);
    expect(output.errors).toEqual([expect.objectContaining({ message: 'Invalid UTF-8', line: 2 })]);
    // The same file in UTF-8 is valid, so it is the encoding alone that is refused.
    writeFileSync(file, VALID_PUBLICCODE);
    expect(cli('publiccode', 'validate', file, '--json').code).toBe(0);
  });

  it('publiccode validate --format github prints an ::error annotation at the line of each error, a missing section on the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-publiccode-'));
    mkdirSync(join(dir, 'meta'));
    // Line 9 is developmentStatus; localisation (a required section) is missing, so it has no line.
    const broken = VALID_PUBLICCODE.replace('developmentStatus: stable', 'developmentStatus: fertig').replace(/localisation:[\s\S]*$/, '');
    writeFileSync(join(dir, 'meta', 'publiccode.yml'), broken);
    const run = cliIn(dir, 'publiccode', 'validate', 'meta/publiccode.yml', '--format', 'github');
    expect(run.code).toBe(1);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toContain('::error file=meta/publiccode.yml,line=9,col=1,title=publiccode.yml::developmentStatus: developmentStatus must be one of the following: "concept", "development", "beta", "stable" or "obsolete"');
    expect(lines).toContain('::error file=meta/publiccode.yml,title=publiccode.yml::localisation.localisationReady: localisationReady is a required field');
    expect(lines.at(-1)).toBe('meta/publiccode.yml: invalid / ungültig (publiccodeYmlVersion 0)');
  });

  it('publiccode validate --format gitlab prints a Code Quality report: one entry per finding with its line and a stable fingerprint', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-publiccode-'));
    writeFileSync(join(dir, 'publiccode.yml'), VALID_PUBLICCODE.replace('license: EUPL-1.2', 'license: EUPL 1.2'));
    const run = cliIn(dir, 'publiccode', 'validate', 'publiccode.yml', '--format', 'gitlab');
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report).toEqual([
      {
        description: 'legal.license: license must be a valid license (see https://spdx.org/licenses)',
        check_name: 'publiccode.yml:legal.license',
        fingerprint: expect.stringMatching(/^[0-9a-f]{32}$/),
        severity: 'major',
        location: { path: 'publiccode.yml', lines: { begin: 22 } },
      },
    ]);
    // Lines added above the finding move it, not its identity.
    writeFileSync(join(dir, 'publiccode.yml'), `# Kommentar\n# noch einer\n${VALID_PUBLICCODE.replace('license: EUPL-1.2', 'license: EUPL 1.2')}`);
    const moved = JSON.parse(cliIn(dir, 'publiccode', 'validate', 'publiccode.yml', '--format', 'gitlab').stdout);
    expect(moved[0].location.lines.begin).toBe(24);
    expect(moved[0].fingerprint).toBe(report[0].fingerprint);
    // A valid file is an empty report and exit 0.
    writeFileSync(join(dir, 'publiccode.yml'), VALID_PUBLICCODE);
    const valid = cliIn(dir, 'publiccode', 'validate', 'publiccode.yml', '--format', 'gitlab');
    expect(valid.code).toBe(0);
    expect(JSON.parse(valid.stdout)).toEqual([]);
  });

  it('exits 2 on a usage error', () => {
    expect(cli('spdx').code).toBe(2);
    expect(cli('spdx', 'check', 'MIT', '--nope').code).toBe(2);
    expect(cli('frobnicate', 'it', 'now').code).toBe(2);
    expect(cli('publiccode', 'validate', 'x.yml', '--format', 'sarif').code).toBe(2);
  });
});
