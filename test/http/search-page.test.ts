import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestHub, organisationWithToken, type TestHub } from '../helpers/hub';
import { createSoftware, queryDatabase } from './fixtures';

/** The search page without JavaScript: a plain GET form, filters as checkboxes, the service's corrections. */
let hub: TestHub;
beforeAll(async () => {
  hub = await createTestHub();
  const { organisation, token } = await organisationWithToken(hub.app, ['publish']);
  const portal = await createSoftware(hub.app, token, {
    organisationId: organisation.id,
    name: 'Beteiligungsportal',
    shortDescription: { de: 'Bürgerbeteiligung online' },
    licence: 'EUPL-1.2',
    categories: ['beteiligung', 'survey'],
  });
  await createSoftware(hub.app, token, { organisationId: organisation.id, name: 'Parkraumkarte', shortDescription: { de: 'Freie Parkplätze' }, licence: 'MIT', categories: ['mobilitaet'] });
  // The portal's reuse by another municipality, confirmed by its producer.
  const reuser = await organisationWithToken(hub.app, ['reuse']);
  const reuse = await hub.app.inject({ method: 'POST', url: `/v1/software/${portal.id}/reuses`, headers: bearer(reuser.token), payload: { status: 'production' } });
  expect(reuse.statusCode, reuse.body).toBe(201);
  const confirmed = await hub.app.inject({ method: 'POST', url: `/v1/software/${portal.id}/reuses/${reuse.json().id}/confirmation`, headers: bearer(token), payload: {} });
  expect(confirmed.statusCode, confirmed.body).toBe(200);
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

  it("offers the API's filters for a confirmed reuse and the transfer package's completeness, and applies them", async () => {
    const all = await hub.app.inject('/search');
    expect(all.body).toMatch(/<legend class="kern-label">Bestätigte Nachnutzung<\/legend>/);
    expect(all.body).toMatch(/name="confirmedReuse" value="true"[^>]*>\s*<label[^>]*>Nachnutzung vom Hersteller bestätigt <span[^>]*>\(1\)/);
    expect(all.body).toMatch(/<legend class="kern-label">Nachnutzungspaket<\/legend>/);
    expect(all.body).toMatch(/name="transferPackage" value="none"[^>]*>\s*<label[^>]*>Keine Bestandteile <span[^>]*>\(2\)/);
    const confirmed = await hub.app.inject('/search?confirmedReuse=true');
    expect(confirmed.body).toMatch(/id="result-count" role="status">1 Eintrag</);
    expect(confirmed.body).toContain('>Beteiligungsportal</a>');
    expect(confirmed.body).not.toContain('>Parkraumkarte</a>');
    expect(confirmed.body).toMatch(/name="confirmedReuse" value="true" checked/);
    const complete = await hub.app.inject('/search?transferPackage=complete');
    expect(complete.body).toContain('Keine Treffer');
    expect(complete.body).toMatch(/name="transferPackage" value="complete" checked/);
  });

  it('names the origin hub of a mirrored result, and nothing for a local one', async () => {
    const [entry] = await queryDatabase<{ id: string }>(hub, 'SELECT id FROM software WHERE slug = $1', ['parkraumkarte']);
    await queryDatabase(
      hub,
      `INSERT INTO federation_record (type, record_id, global_id, origin_hub, origin_version, origin_updated_at, received_at, content_digest, entry)
       VALUES ('software', $1, $2, 'https://hub-by.example', 1, now(), '2026-11-02T10:00:00Z', 'sha-256=:AA==:', '{}')`,
      [entry!.id, `https://hub-by.example/id/software/${entry!.id}`],
    );
    try {
      const page = await hub.app.inject('/search');
      const result = (name: string) => page.body.slice(page.body.indexOf(`>${name}</a>`)).split('</header>')[0]!;
      expect(result('Parkraumkarte')).toContain('Von Hub https://hub-by.example, zuletzt empfangen am');
      expect(result('Beteiligungsportal')).not.toContain('Von Hub');
      expect((await hub.app.inject('/search?lang=en')).body).toContain('From hub https://hub-by.example, last received on');
      // The start page lists it among the entries added last, and its organisation's page among its software.
      expect((await hub.app.inject('/')).body).toContain('Von Hub https://hub-by.example');
      const [publisher] = await queryDatabase<{ slug: string }>(hub, 'SELECT o.slug FROM organisation o JOIN software s ON s.organisation_id = o.id WHERE s.id = $1', [entry!.id]);
      expect((await hub.app.inject(`/organisations/${publisher!.slug}`)).body).toContain('Von Hub https://hub-by.example');
    } finally {
      await queryDatabase(hub, "DELETE FROM federation_record WHERE type = 'software' AND record_id = $1", [entry!.id]);
    }
  });

  it("names categories by the taxonomy in the page's language, and values outside it as written", async () => {
    const de = await hub.app.inject('/search');
    expect(de.body).toMatch(/name="category" value="beteiligung"[^>]*>\s*<label[^>]*>Beteiligung &amp; Engagement </);
    expect(de.body).toMatch(/name="category" value="mobilitaet"[^>]*>\s*<label[^>]*>Mobilität &amp; Verkehr </);
    expect(de.body).toMatch(/name="category" value="survey"[^>]*>\s*<label[^>]*>survey </);
    const en = await hub.app.inject('/search?lang=en');
    expect(en.body).toMatch(/name="category" value="mobilitaet"[^>]*>\s*<label[^>]*>Mobility &amp; transport </);
    const detail = await hub.app.inject('/software/beteiligungsportal?lang=en');
    expect(detail.body).toMatch(/>Categories<\/dt><dd[^>]*>Participation &amp; civic engagement and survey</);
  });
});
