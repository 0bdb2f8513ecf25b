import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { XMLValidator } from 'fast-xml-parser';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHub, type TestHub } from '../helpers/hub';
import { loadDemo } from '../http/export-fixtures';

const run = promisify(execFile);
const HEADING = 'Exports, feeds and badges';

async function shellBlocks(): Promise<string[]> {
  const readme = await readFile(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
  const start = readme.indexOf(`\n## ${HEADING}\n`);
  if (start < 0) throw new Error(`README has no section "${HEADING}"`);
  const end = readme.indexOf('\n## ', start + 1);
  return [...readme.slice(start, end < 0 ? undefined : end).matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1]!);
}

let hub: TestHub;
let hubUrl: string;
let workDir: string;
beforeAll(async () => {
  hub = await createTestHub();
  await loadDemo(hub);
  await hub.app.listen({ port: 0, host: '127.0.0.1' });
  hubUrl = `http://127.0.0.1:${(hub.app.server.address() as AddressInfo).port}`;
  workDir = await mkdtemp(join(tmpdir(), 'readme-exports-'));
}, 120_000);
afterAll(async () => {
  await hub?.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe(`the README section "${HEADING}"`, { timeout: 60_000 }, () => {
  it('runs each curl example as written against the demo catalogue, and each answer is what the text says', async () => {
    const blocks = await shellBlocks();
    expect(blocks).toHaveLength(5);
    const outputs: string[] = [];
    for (const block of blocks) {
      const { stdout } = await run('bash', ['-eo', 'pipefail', '-c', block], { cwd: workDir, env: { PATH: process.env.PATH, TRANSFERHUB_URL: hubUrl } });
      outputs.push(stdout);
    }
    const [publiccode, catalog, repositories, feeds, badge] = outputs as [string, string, string, string, string];
    expect(parse(publiccode)).toMatchObject({ name: 'CO2-Sensoren (Zukunftsstadt Ulm)', legal: { license: 'MIT' } });
    expect(catalog).toContain('hydra:totalItems 38');
    expect(JSON.parse(await readFile(join(workDir, 'catalog.jsonld'), 'utf8'))['@graph'].length).toBeGreaterThan(38);
    expect((JSON.parse(repositories) as { repositories: unknown[] }).repositories).toHaveLength(38);
    expect(feeds).toContain('<feed xmlns="http://www.w3.org/2005/Atom">');
    expect(XMLValidator.validate(await readFile(join(workDir, 'releases.atom'), 'utf8'))).toBe(true);
    expect(badge).toMatch(/^etag: "/m);
    expect(badge).toContain('<svg');
  });
});
