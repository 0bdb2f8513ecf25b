import { XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validatePubliccode } from '../../src/metadata/publiccode/index';
import { bearer, createTestHub, organisationWithToken, type TestHub } from '../helpers/hub';
import { VALID } from '../helpers/publiccode-fixture';
import { expectProblem, publisherWithSoftware, queryDatabase } from './fixtures';

let hub: TestHub;
let entry: Awaited<ReturnType<typeof publisherWithSoftware>>;
beforeAll(async () => {
  hub = await createTestHub();
  entry = await publisherWithSoftware(hub.app, { name: 'Bürgerservice', licence: 'EUPL-1.2' });
  // The maintenance type comes from a crawled publiccode.yml.
  await queryDatabase(hub, "update software set maintenance_type = 'community' where id = $1", [entry.software.id]);
});
afterAll(async () => hub?.close());

const badge = async (query: string, headers: Record<string, string> = {}) => hub.app.inject({ url: `/v1/software/${entry.software.slug}/badge.svg?${query}`, headers });
/** The texts an SVG shows (badge-maker writes each twice, shadow and text, plus a <title>). */
const shown = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);

describe('GET /v1/software/{id}/badge.svg', () => {
  it('draws a well-formed SVG with the licence, labelled in German by default and in English on request', async () => {
    const response = await badge('kind=licence');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
    expect(response.headers['cache-control']).toBe('public, max-age=300');
    expect(response.headers['access-control-allow-origin']).toBe('*');
    expect(XMLValidator.validate(response.body)).toBe(true);
    expect(shown(response.body)).toEqual(expect.arrayContaining(['Lizenz', 'EUPL-1.2']));
    expect(shown((await badge('kind=licence&lang=en')).body)).toEqual(expect.arrayContaining(['licence', 'EUPL-1.2']));
  });

  it('answers a request naming the current ETag with 304 and no body, and a changed entry with a new ETag', async () => {
    const first = await badge('kind=maintenance&lang=en');
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(shown(first.body)).toEqual(expect.arrayContaining(['maintenance', 'community']));
    const again = await badge('kind=maintenance&lang=en', { 'if-none-match': `W/"x", ${etag}` });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect(again.headers.etag).toBe(etag);
    await queryDatabase(hub, "update software set maintenance_type = 'none' where id = $1", [entry.software.id]);
    const changed = await badge('kind=maintenance&lang=en', { 'if-none-match': etag });
    expect(changed.statusCode).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
    expect(shown(changed.body)).toContain('none');
  });

  it('counts reuse records and shows the publiccode.yml state: missing, valid, invalid', async () => {
    expect(shown((await badge('kind=reuse&lang=en')).body)).toContain('0 municipalities');
    const reuser = await organisationWithToken(hub.app, ['reuse']);
    const recorded = await hub.app.inject({ method: 'POST', url: `/v1/software/${entry.software.id}/reuses`, headers: bearer(reuser.token), payload: { status: 'production' } });
    expect(recorded.statusCode, recorded.body).toBe(201);
    expect(shown((await badge('kind=reuse')).body)).toEqual(expect.arrayContaining(['Nachnutzung', '1 Kommune']));

    expect(shown((await badge('kind=publiccode')).body)).toContain('fehlt');
    const verdict = validatePubliccode(VALID);
    await queryDatabase(hub, 'update software set publiccode_raw = $1, publiccode = $2, publiccode_valid = $3 where id = $4', [VALID, JSON.stringify(verdict.model), true, entry.software.id]);
    expect(shown((await badge('kind=publiccode&lang=en')).body)).toContain('valid');
    await queryDatabase(hub, 'update software set publiccode_valid = false where id = $1', [entry.software.id]);
    expect(shown((await badge('kind=publiccode&lang=en')).body)).toContain('invalid');
  });

  it('refuses an unknown kind or language with a 400 problem and an unknown entry with a 404', async () => {
    expectProblem(await badge('kind=stars'), 400);
    expectProblem(await badge('kind=licence&lang=fr'), 400);
    expectProblem(await hub.app.inject('/v1/software/no-such-entry/badge.svg?kind=licence'), 404);
  });
});
