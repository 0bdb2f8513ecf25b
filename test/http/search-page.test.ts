import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHub, organisationWithToken, type TestHub } from '../helpers/hub';
import { createSoftware } from './fixtures';

/** The search page without JavaScript: a plain GET form, filters as checkboxes, the service's corrections. */
let hub: TestHub;
beforeAll(async () => {
  hub = await createTestHub();
  const { organisation, token } = await organisationWithToken(hub.app, ['publish']);
  await createSoftware(hub.app, token, {
    organisationId: organisation.id,
    name: 'Beteiligungsportal',
    shortDescription: { de: 'Bürgerbeteiligung online' },
    licence: 'EUPL-1.2',
  });
  await createSoftware(hub.app, token, { organisationId: organisation.id, name: 'Parkraumkarte', shortDescription: { de: 'Freie Parkplätze' }, licence: 'MIT' });
});
afterAll(async () => hub?.close());

describe('the search page', () => {
  it('shows the count, the highlighted snippet and a checked filter, and escapes what was typed', async () => {
    const page = await hub.app.inject('/search?q=B%C3%BCrgerbeteiligung%3Cscript%3E&licence=EUPL-1.2');
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('<script>');
    expect(page.body).toContain('&lt;script&gt;');
    const plain = await hub.app.inject('/search?q=B%C3%BCrgerbeteiligung&licence=EUPL-1.2');
    expect(plain.body).toMatch(/id="result-count" role="status">1 Ergebnis</);
    expect(plain.body).toContain('<mark>Bürgerbeteiligung</mark>');
    expect(plain.body).toMatch(/name="licence" value="EUPL-1.2" checked/);
  });

  it('with no results it offers the corrected spelling as a link to that search', async () => {
    const page = await hub.app.inject('/search?q=Parkraumkarre&licence=EUPL-1.2');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Keine Treffer');
    expect(page.body).toMatch(/Meinten Sie <a class="kern-link" href="\/search\?q=parkraumkarte&amp;licence=EUPL-1.2">parkraumkarte<\/a>\?/);
  });
});
