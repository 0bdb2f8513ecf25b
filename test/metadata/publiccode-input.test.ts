import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { validatePubliccode, type PubliccodeVerdict } from '../../src/metadata/publiccode/index.js';
import { VALID } from '../helpers/publiccode-fixture';


describe('local files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'publiccode-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // A PNG header (signature + IHDR) is all the check reads: width 1000, height 500.
  const png = (width: number) => {
    const bytes = Buffer.alloc(33);
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(bytes, 0);
    bytes.writeUInt32BE(13, 8);
    bytes.write('IHDR', 12, 'ascii');
    bytes.writeUInt32BE(width, 16);
    bytes.writeUInt32BE(500, 20);
    return bytes;
  };
  writeFileSync(join(dir, 'logo.png'), png(1000));
  writeFileSync(join(dir, 'tiny.png'), png(32));
  writeFileSync(join(dir, 'broken.png'), 'not a picture');
  const withLogo = (logo: string) => VALID.replace('platforms:', `logo: ${logo}\nplatforms:`);

  it('checks logos relative to baseDir: present, decodable and wide enough', () => {
    expect(validatePubliccode(withLogo('logo.png'), { baseDir: dir }).valid).toBe(true);
    expect(validatePubliccode(withLogo('missing.png'), { baseDir: dir }).results).toMatchObject([
      { key: 'logo', message: `no such file: ${join(dir, 'missing.png')}` },
    ]);
    expect(validatePubliccode(withLogo('tiny.png'), { baseDir: dir }).results[0]?.message).toMatch(/^invalid image size of 32/);
    expect(validatePubliccode(withLogo('broken.png'), { baseDir: dir }).results[0]?.message).toBe('image: unknown format');
  });

  it('refuses absolute paths, file: URLs and paths that leave the repository', () => {
    expect(validatePubliccode(withLogo('/etc/logo.png'), { baseDir: dir }).results[0]?.message).toMatch(/absolute path/);
    expect(validatePubliccode(withLogo('file:///logo.png'), { baseDir: dir }).results[0]?.message).toMatch(/file:\/\/ URL/);
    expect(validatePubliccode(withLogo('../logo.png'), { baseDir: dir }).results[0]?.message).toMatch(/outside the repository/);
  });

  it('skips the file checks without baseDir and never fetches remote logos', () => {
    expect(validatePubliccode(withLogo('missing.png')).valid).toBe(true);
    expect(validatePubliccode(withLogo('https://example.org/missing.png'), { baseDir: dir }).valid).toBe(true);
  });
});

describe('hostile input', () => {
  const onlyError = (verdict: PubliccodeVerdict) => {
    expect(verdict.valid).toBe(false);
    expect(verdict.model).toBeNull();
    expect(verdict.results).toHaveLength(1);
    expect(verdict.results[0]).toMatchObject({ type: 'error', key: '' });
    expect(verdict.results[0]!.line).toBeGreaterThanOrEqual(1);
    return verdict.results[0]!;
  };

  it('rejects tabs used as indentation with the line', () => {
    expect(onlyError(validatePubliccode(VALID.replace('  name: Stadt', '\tname: Stadt'))).line).toBe(12);
  });

  it('rejects duplicate keys at the second occurrence', () => {
    expect(onlyError(validatePubliccode(`${VALID}name: Zweiter Name\n`)).line).toBe(33);
  });

  it('rejects bytes that are not UTF-8 (Latin-1, stray bytes, UTF-16) with the line of the first bad byte', () => {
    const latin1 = Buffer.from(VALID.replace('Bürgerservice', 'B\u00fcrgerservice'), 'latin1');
    const result = onlyError(validatePubliccode(latin1));
    expect(result).toMatchObject({ message: 'Invalid UTF-8', line: 2 });
    onlyError(validatePubliccode(Buffer.concat([Buffer.from(VALID), Buffer.from([0xc3, 0x28])])));
    onlyError(validatePubliccode(Buffer.from(`\ufeff${VALID}`, 'utf16le')));
  });

  it('accepts a UTF-8 byte order mark', () => {
    expect(validatePubliccode(Buffer.from(`\ufeff${VALID}`, 'utf8')).valid).toBe(true);
  });

  it('refuses a 20 MB file without parsing it', () => {
    const big = Buffer.alloc(20 * 1024 * 1024, 'a: b\n');
    expect(onlyError(validatePubliccode(big)).message).toMatch(/larger than 1048576 bytes/);
  });

  it('refuses more lines or YAML indicators than any publiccode.yml has, before parsing', () => {
    expect(onlyError(validatePubliccode(`a:\n${'- 1\n'.repeat(20_000)}`)).message).toBe('more than 15000 lines');
    expect(onlyError(validatePubliccode(`a: [${'1,'.repeat(30_000)}1]`)).message).toMatch(/^more than 25000 YAML indicators/);
  });

  it('stops alias expansion (billion laughs)', () => {
    const laughs = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (const [prev, name] of [['a', 'b'], ['b', 'c'], ['c', 'd'], ['d', 'e'], ['e', 'f'], ['f', 'g'], ['g', 'h'], ['h', 'i']]) {
      laughs.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    onlyError(validatePubliccode(`publiccodeYmlVersion: "0"\n${laughs.join('\n')}\n`));
  });

  it('survives pathological nesting', () => {
    onlyError(validatePubliccode(`a: ${'['.repeat(100_000)}${']'.repeat(100_000)}`));
    onlyError(validatePubliccode(`a: ${'- '.repeat(20_000)}x`));
  });

  it('rejects several YAML documents in one file', () => {
    onlyError(validatePubliccode(`${VALID}---\nname: second\n`));
  });

  it('never throws and always answers consistently, whatever the bytes', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.uint8Array({ maxLength: 512 }).map((b) => Buffer.from(b))), (input) => {
        const verdict = validatePubliccode(input);
        expect(verdict.valid).toBe(!verdict.results.some((r) => r.type === 'error'));
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on mutations of a valid file', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: VALID.length - 1 }), fc.string({ maxLength: 4 }), (at, insert) => {
        const verdict = validatePubliccode(VALID.slice(0, at) + insert + VALID.slice(at + 1));
        for (const r of verdict.results) expect(r.line).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 300 },
    );
  });
});
