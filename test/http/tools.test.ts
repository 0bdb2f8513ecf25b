import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHub, type TestHub } from '../helpers/hub';

const require = createRequire(import.meta.url);
const apache = (require('spdx-license-list/licenses/Apache-2.0.json') as { licenseText: string }).licenseText;

const VALID = `publiccodeYmlVersion: "0.4"
name: Mängelmelder
url: "https://github.com/example/maengelmelder"
releaseDate: "2024-05-02"
platforms: [web]
categories: [it-development]
developmentStatus: stable
softwareType: standalone/web
description:
  de:
    shortDescription: Bürgerinnen und Bürger melden Schäden im Stadtgebiet.
    longDescription: >
      Mit dem Mängelmelder melden Bürgerinnen und Bürger Schlaglöcher, wilden Müll und defekte
      Straßenlaternen direkt an die zuständige Stelle der Verwaltung. Die Meldungen werden
      kategorisiert, an die Fachämter weitergeleitet und öffentlich mit ihrem Bearbeitungsstand
      angezeigt, so dass alle sehen, was aus ihrer Meldung geworden ist.
    features:
      - Meldung mit Foto und Ort
legal:
  license: EUPL-1.2
maintenance:
  type: internal
  contacts:
    - name: Erika Mustermann
localisation:
  localisationReady: true
  availableLanguages: [de]
`;

describe('the maintainer tools', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await createTestHub();
  });
  afterAll(async () => hub.close());

  it('validates a publiccode.yml posted as YAML', async () => {
    const res = await hub.app.inject({
      method: 'POST',
      url: '/v1/tools/publiccode/validate',
      headers: { 'content-type': 'application/yaml' },
      payload: VALID,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ valid: true, errors: [] });
  });

  it('reports an invalid licence with its key and line', async () => {
    const res = await hub.app.inject({
      method: 'POST',
      url: '/v1/tools/publiccode/validate',
      headers: { 'content-type': 'text/yaml' },
      payload: VALID.replace('license: EUPL-1.2', 'license: Public Domain-ish'),
    });
    const body = res.json() as { valid: boolean; errors: { key: string; line: number }[] };
    expect(body.valid).toBe(false);
    expect(body.errors.find((e) => e.key === 'legal.license')?.line).toBe(20);
  });

  it('answers a broken YAML file with an invalid verdict, not an error', async () => {
    const res = await hub.app.inject({
      method: 'POST',
      url: '/v1/tools/publiccode/validate',
      headers: { 'content-type': 'application/yaml' },
      payload: 'name: [unclosed\n\tbad: tab',
    });
    expect(res.statusCode).toBe(200);
    expect((res.json() as { valid: boolean }).valid).toBe(false);
  });

  it('refuses a publiccode.yml in Latin-1 (the standard requires UTF-8), whatever YAML or text type it is sent as', async () => {
    for (const contentType of ['application/yaml', 'text/yaml', 'text/plain']) {
      const res = await hub.app.inject({
        method: 'POST',
        url: '/v1/tools/publiccode/validate',
        headers: { 'content-type': contentType },
        payload: Buffer.from(VALID, 'latin1'),
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ valid: false, errors: [{ key: '', message: 'Invalid UTF-8', line: 2 }] });
    }
  });

  it('refuses a publiccode.yml over 64 KiB with 413', async () => {
    const res = await hub.app.inject({
      method: 'POST',
      url: '/v1/tools/publiccode/validate',
      headers: { 'content-type': 'application/yaml' },
      payload: `${VALID}# ${'x'.repeat(70 * 1024)}\n`,
    });
    expect(res.statusCode).toBe(413);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });

  it('refuses JSON with 415: the tools take files as they are', async () => {
    const res = await hub.app.inject({
      method: 'POST',
      url: '/v1/tools/licence/detect',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ text: 'MIT' }),
    });
    expect(res.statusCode).toBe(415);
  });

  it('detects the Apache licence from its text, also when sent as Latin-1 bytes', async () => {
    const asText = await hub.app.inject({
      method: 'POST',
      url: '/v1/tools/licence/detect',
      headers: { 'content-type': 'text/plain' },
      payload: apache,
    });
    expect(asText.json()).toMatchObject({ spdx: 'Apache-2.0' });
    const asBytes = await hub.app.inject({
      method: 'POST',
      url: '/v1/tools/licence/detect',
      headers: { 'content-type': 'application/octet-stream' },
      payload: Buffer.from(apache, 'latin1'),
    });
    expect(asBytes.json()).toMatchObject({ spdx: 'Apache-2.0' });
  });

  it('says why nothing was found for a text that is no licence', async () => {
    const res = await hub.app.inject({
      method: 'POST',
      url: '/v1/tools/licence/detect',
      headers: { 'content-type': 'text/plain' },
      payload: 'Dieses Projekt gehört der Stadt. Alle Rechte vorbehalten.',
    });
    const body = res.json() as { spdx: string | null; reason: string };
    expect(body.spdx).toBeNull();
    expect(body.reason.length).toBeGreaterThan(5);
  });
});
