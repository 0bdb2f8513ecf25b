import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, createTestHub, type TestHub } from '../helpers/hub';
import { loadDemo } from '../http/export-fixtures';

const run = promisify(execFile);
const HEADING = 'Knowledge transfer';

/** The section's sh blocks in order: the set-up, then one example per capability. */
async function shellBlocks(): Promise<string[]> {
  const readme = await readFile(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
  const start = readme.indexOf(`\n## ${HEADING}\n`);
  if (start < 0) throw new Error(`README has no section "${HEADING}"`);
  const end = readme.indexOf('\n## ', start + 1);
  return [...readme.slice(start, end < 0 ? undefined : end).matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1]!);
}

let hub: TestHub;
let hubUrl: string;
beforeAll(async () => {
  hub = await createTestHub();
  await loadDemo(hub);
  await hub.app.listen({ port: 0, host: '127.0.0.1' });
  hubUrl = `http://127.0.0.1:${(hub.app.server.address() as AddressInfo).port}`;
}, 120_000);
afterAll(async () => hub?.close());

describe(`the README section "${HEADING}"`, { timeout: 60_000 }, () => {
  it('runs its set-up and each curl example as written against the demo catalogue, each answering what the text says', async () => {
    const [setUp, ...examples] = await shellBlocks();
    expect(examples).toHaveLength(3);
    // One shell, so the set-up's variables reach the examples; the printed port replaces localhost:8080.
    const outputs: string[] = [];
    for (const example of examples) {
      const script = `${setUp!.replace('http://localhost:8080', hubUrl)}\n${example}`;
      const { stdout } = await run('bash', ['-eo', 'pipefail', '-c', script], { env: { PATH: process.env.PATH, HUB_ADMIN_TOKEN: ADMIN_TOKEN } });
      outputs.push(stdout);
    }
    const [confirmation, report, need] = outputs.map((output) => JSON.parse(output)) as [
      { status: string; verification: { state: string; by: string }; organisation: { slug: string } },
      { recommendation: number; hosting: string; whatWorked: { html: string } },
      { title: string; status: string; organisation: { slug: string } },
    ];
    expect(confirmation).toMatchObject({ status: 'piloting', verification: { state: 'confirmed', by: 'producer' }, organisation: { slug: 'darmstadt' } });
    expect(report).toMatchObject({ recommendation: 4, hosting: 'municipal IT service provider' });
    expect(report.whatWorked.html).toContain('<strong>IT-Dienstleister</strong>');
    expect(need).toMatchObject({ title: 'Geoportal für Bebauungspläne', organisation: { slug: 'darmstadt' } });
    // The section's text on the filters, after the confirmation: confirmedReuse combines with q, sort and facets.
    const slugs = async (query: string) => {
      const response = await hub.app.inject(`/v1/software?${query}`);
      expect(response.statusCode, response.body).toBe(200);
      return { slugs: response.json().items.map((item: { slug: string }) => item.slug) as string[], facets: response.json().facets };
    };
    expect((await slugs('confirmedReuse=true&q=Geoportal')).slugs).toContain('masterportal');
    expect((await slugs('confirmedReuse=true&sort=name')).slugs).toContain('masterportal');
    const faceted = await slugs('confirmedReuse=true&facets=true');
    expect(faceted.slugs).toContain('masterportal');
    expect(faceted.facets.confirmedReuse).toContainEqual({ value: 'true', count: faceted.slugs.length });
  });
});
