import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validatePubliccode } from '../../src/metadata/publiccode/index';
import { createTestHub, type TestHub } from '../helpers/hub';
import { VALID } from '../helpers/publiccode-fixture';
import { loadDemo, listedSoftwareIds } from './export-fixtures';
import { expectProblem, publisherWithSoftware, queryDatabase } from './fixtures';
import { bearer } from '../helpers/hub';

let hub: TestHub;
beforeAll(async () => {
  hub = await createTestHub();
  await loadDemo(hub);
});
afterAll(async () => hub?.close());

describe('GET /v1/software/{id}/publiccode.yml', { timeout: 120_000 }, () => {
  it('exports every entry of the demo catalogue as a publiccode.yml the hub’s own validator accepts without errors or warnings (no deprecated keys)', async () => {
    const ids = await listedSoftwareIds(hub);
    expect(ids).toHaveLength(38);
    const failures: string[] = [];
    for (const id of ids) {
      const response = await hub.app.inject(`/v1/software/${id}/publiccode.yml`);
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('application/yaml; charset=utf-8');
      const verdict = validatePubliccode(response.body);
      for (const result of verdict.results) failures.push(`${id} ${result.type} ${result.key}: ${result.message}`);
    }
    expect(failures).toEqual([]);
  });

  it('carries the entry’s facts: name, repository URL, licence, German description padded to the standard’s 150 characters', async () => {
    const [row] = await queryDatabase<{ id: string; name: string; repository_url: string; licence: string; long_description_de: string }>(
      hub, "select id, name, repository_url, licence, long_description_de from software where slug = 'co2-sensoren-ulm' or repository_url = 'https://github.com/stadtulm/co2-sensoren' limit 1");
    const document = parse((await hub.app.inject(`/v1/software/${row!.id}/publiccode.yml`)).body);
    expect(document).toMatchObject({ name: row!.name, url: row!.repository_url, legal: { license: row!.licence }, publiccodeYmlVersion: '0' });
    expect(document.description.de.longDescription.startsWith(row!.long_description_de.replace(/[.]$/, ''))).toBe(true);
    expect([...document.description.de.longDescription].length).toBeGreaterThanOrEqual(150);
  });

  it('merges a crawled publiccode.yml with the entry: the API’s newer name and licence win, the file’s platforms and contacts stay', async () => {
    const { software, token } = await publisherWithSoftware(hub.app, { repositoryUrl: 'https://git.example.org/kommune/buergerservice' });
    const crawled = validatePubliccode(VALID).model;
    await queryDatabase(hub, 'update software set publiccode = $1, publiccode_raw = $2 where id = $3', [JSON.stringify(crawled), VALID, software.id]);
    const patched = await hub.app.inject({ method: 'PATCH', url: `/v1/software/${software.id}`, headers: bearer(token), payload: { name: 'Bürgerservice Plus', licence: 'AGPL-3.0-or-later' } });
    expect(patched.statusCode, patched.body).toBe(200);

    const text = (await hub.app.inject(`/v1/software/${software.slug}/publiccode.yml`)).body;
    expect(validatePubliccode(text).results.filter((r) => r.type === 'error')).toEqual([]);
    expect(parse(text)).toMatchObject({
      name: 'Bürgerservice Plus',
      legal: { license: 'AGPL-3.0-or-later' },
      platforms: ['web'],
      softwareType: 'standalone/web',
      categories: ['document-management'],
      organisation: { uri: 'https://www.musterstadt.de' },
      maintenance: { type: 'community', contacts: [{ name: 'Erika Mustermann', email: 'erika.mustermann@musterstadt.de' }] },
    });
  });

  it('answers an unknown entry with a 404 problem', async () => {
    expectProblem(await hub.app.inject('/v1/software/no-such-entry/publiccode.yml'), 404);
  });
});
