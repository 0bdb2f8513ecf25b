/// <reference lib="dom" />
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, createTestHub, organisationWithToken, type TestHub } from '../helpers/hub';
import { expectAccessible, expectStructure, launch, screenshot } from './browser';

/**
 * The signed-in knowledge-transfer forms in a real Chromium: the producer confirms or disputes a
 * reuse and answers a report, the reusing organisation writes an experience report and withdraws
 * its reuse, organisations post and join needs; accessible (axe-core) in German and English,
 * errors next to their fields and in the page's language, reachable with the keyboard.
 */
let hub: TestHub;
let browser: Browser;
let base: string;
const producer = { id: '', slug: '', token: '', name: 'Herstellstadt' };
const reuser = { token: '', name: 'Nachnutzdorf', slug: '' };
const software = { slug: '', name: 'Baumkataster Herstellstadt' };

async function post(url: string, payload: Record<string, unknown>, headers: Record<string, string> = admin) {
  const response = await hub.app.inject({ method: 'POST', url, headers, payload });
  if (response.statusCode >= 300) throw new Error(`${url}: ${response.body}`);
  return response.json() as { id: string; slug: string; name: string; token: string };
}

beforeAll(async () => {
  hub = await createTestHub();
  await hub.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(hub.app.server.address() as AddressInfo).port}`;
  browser = await launch();
  const org = await post('/v1/organisations', { name: producer.name, kind: 'municipality', state: 'Hessen' });
  Object.assign(producer, { id: org.id, slug: org.slug, token: (await post(`/v1/organisations/${org.id}/tokens`, { scopes: ['publish', 'reuse'], label: 'web' })).token });
  const entry = await post('/v1/software', {
    name: software.name,
    organisationId: org.id,
    shortDescription: { de: 'Stadtbäume erfassen, Baumkontrollen planen und dokumentieren', en: 'Record city trees, plan and document tree inspections' },
    licence: 'EUPL-1.2',
    categories: ['environment'],
  });
  software.slug = entry.slug;
  const other = await organisationWithToken(hub.app, ['reuse'], reuser.name);
  reuser.token = other.token;
  reuser.slug = other.organisation.slug;
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await hub?.close();
});

async function signedIn(token: string, locale: 'de' | 'en' = 'de'): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ locale: locale === 'de' ? 'de-DE' : 'en-GB', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${base}/sign-in`);
  await page.fill('#token', token);
  await page.press('#token', 'Enter');
  await page.waitForURL(/notice=signed-in/);
  return { context, page };
}

/** The page's form token, for sending a form the page does not offer (a refusal the domain makes). */
async function csrfOf(page: Page) {
  return (await page.getAttribute('input[name=_csrf]', 'value'))!;
}

describe('reuse, confirmation and experience report', () => {
  it('the producer disputes (a reason is required) and then confirms a reuse; the reuser writes a report that shows on the software page; the producer answers it once', async () => {
    const reuserSide = await signedIn(reuser.token);
    await reuserSide.page.goto(`${base}/software/${software.slug}`);
    await reuserSide.page.selectOption('#reuse-status', 'production');
    await reuserSide.page.click('form[action$="/reuse"] button[type=submit]');
    await reuserSide.page.waitForURL(/notice=reuse-saved/);

    const producerSide = await signedIn(producer.token);
    const p = producerSide.page;
    await p.goto(`${base}/software/${software.slug}`);
    const verifyForm = p.locator('form[action*="/verify"]');
    expect(await verifyForm.locator('legend').textContent()).toContain(reuser.name);
    // Disputing without a reason: the form comes back with the error next to the field, announced.
    await verifyForm.locator('button[value=disputed]').click();
    await p.waitForLoadState();
    const reason = p.locator('form[action*="/verify"] input[name=reason]');
    expect(await reason.getAttribute('aria-invalid')).toBe('true');
    const errorId = (await reason.getAttribute('aria-describedby'))!;
    expect(await p.locator(`#${errorId}`).getAttribute('role')).toBe('alert');
    expect(await p.locator(`#${errorId}`).textContent()).toContain('Bitte begründen Sie');
    await expectAccessible(p, 'verify-error-de');
    await screenshot(p, 'verify-error-de');
    await reason.fill('Uns ist kein Einsatz bekannt');
    await p.locator('form[action*="/verify"] button[value=disputed]').click();
    await p.waitForURL(/notice=reuse-disputed/);
    const row = p.locator('#reuses tbody tr', { hasText: reuser.name });
    expect(await row.textContent()).toContain('Uns ist kein Einsatz bekannt');
    await p.locator('form[action*="/verify"] button[value=confirmed]').click();
    await p.waitForURL(/notice=reuse-confirmed/);
    expect(await p.locator('#reuses tbody tr', { hasText: reuser.name }).textContent()).toContain('von der Herstellerin bestätigt');
    // The reusing organisation's page lists the reuse as the software page does: confirmed, not self-declared.
    await p.goto(`${base}/organisations/${reuser.slug}`);
    const listed = await p.locator('#reuses li', { hasText: software.name }).textContent();
    expect(listed).toContain('von der Herstellerin bestätigt');
    expect(listed).not.toContain('selbst angegeben');

    // The reuser writes a report: a mistake first (no recommendation, a bad number), then all fields.
    const r = reuserSide.page;
    await r.goto(`${base}/software/${software.slug}#experience`);
    await r.fill('#report-effort', 'viele');
    await r.click('form[action$="/experience"] button[type=submit]');
    await r.waitForLoadState();
    expect(await r.locator('#report-recommendation-error').textContent()).toContain('Weiterempfehlung von 1 bis 5');
    expect(await r.locator('#report-effort-error').textContent()).toContain('Zahl');
    expect(await r.getAttribute('#report-effort', 'aria-invalid')).toBe('true');
    await expectStructure(r, 'report-form-errors-de');
    await expectAccessible(r, 'report-form-errors-de');
    await screenshot(r, 'report-form-errors-de');
    await r.selectOption('#report-recommendation', '4');
    await r.fill('#report-effort', '12,5');
    await r.fill('#report-weeks', '10');
    await r.selectOption('#report-cost', '1–5k');
    await r.selectOption('#report-hosting', 'municipal IT service provider');
    await r.fill('#report-version', '2.3');
    await r.fill('#report-adaptations', 'Anbindung an unser GIS');
    await r.fill('#report-worked', 'Die **Baumkontrolle** im Außendienst');
    await r.fill('#report-not-worked', 'Der Import alter Daten');
    await r.fill('#report-contact', 'gruenflaechen@nachnutzdorf.example');
    await r.check('#report-show-contact');
    await r.click('form[action$="/experience"] button[type=submit]');
    await r.waitForURL(/notice=report-saved/);
    expect(await r.textContent('.kern-alert--success')).toContain('Erfahrungsbericht ist veröffentlicht');

    // Signed out, anyone sees it on the software page, with the aggregates.
    const anonymous = await browser.newContext({ locale: 'de-DE' });
    const a = await anonymous.newPage();
    await a.goto(`${base}/software/${software.slug}`);
    const report = a.locator('#experience article', { hasText: reuser.name });
    const text = (await report.textContent())!;
    for (const part of ['12,5 Personentage', '10 Wochen', '1.000 bis 5.000 €', 'kommunaler IT-Dienstleister', '4 von 5', '2.3', 'Anbindung an unser GIS', 'Der Import alter Daten', 'gruenflaechen@nachnutzdorf.example']) {
      expect(text).toContain(part);
    }
    expect(await report.locator('strong').textContent()).toBe('Baumkontrolle');
    expect(await a.locator('#experience').textContent()).toContain('Aufwand der Einführung (Median)');
    await anonymous.close();

    // The producer answers once; then the form is gone.
    await p.goto(`${base}/software/${software.slug}`);
    const answerForm = p.locator('form[action*="/answer"]');
    await answerForm.locator('textarea').fill('Danke, der Import ist in Version 2.4 verbessert.');
    await answerForm.locator('button[type=submit]').click();
    await p.waitForURL(/notice=answer-saved/);
    expect(await p.locator('#experience article').textContent()).toContain('Danke, der Import ist in Version 2.4 verbessert.');
    expect(await p.locator('form[action*="/answer"]').count()).toBe(0);
    await screenshot(p, 'report-answered-de');
    await producerSide.context.close();
    await reuserSide.context.close();
  }, 90_000);

  it('a refusal of the domain is shown in the page language: German for an answer given twice, English for a confirmation given twice', async () => {
    const { context, page } = await signedIn(producer.token);
    await page.goto(`${base}/software/${software.slug}`);
    const csrf = await csrfOf(page);
    const { items } = (await hub.app.inject(`/v1/software/${software.slug}/experience`)).json() as { items: { id: string }[] };
    const twice = await page.request.post(`${base}/software/${software.slug}/experience/${items[0]!.id}/answer`, { form: { _csrf: csrf, answer: 'Noch eine Antwort' }, maxRedirects: 0 });
    expect(twice.status()).toBe(400);
    expect(await twice.text()).toContain('Auf diesen Bericht hat die Herstellerin schon geantwortet');
    expect(await twice.text()).not.toContain('answered this report already');

    await page.goto(`${base}/software/${software.slug}?lang=en`);
    const { items: reuses } = (await hub.app.inject(`/v1/software/${software.slug}/reuses`)).json() as { items: { id: string }[] };
    const again = await page.request.post(`${base}/software/${software.slug}/reuses/${reuses[0]!.id}/verify`, { form: { _csrf: csrf, verdict: 'confirmed' }, maxRedirects: 0 });
    expect(again.status()).toBe(400);
    const body = await again.text();
    expect(body).toContain('<html lang="en">');
    expect(body).toContain('This reuse is confirmed already.');
    expect(body).toMatch(/role="alert"/);
    await context.close();
  });

  it('the reusing organisation withdraws its reuse: the row leaves the table and the counts, the form offers to record it again', async () => {
    const { context, page } = await signedIn(reuser.token);
    await page.goto(`${base}/software/${software.slug}`);
    await page.click('form[action$="/withdraw"] button[type=submit]');
    await page.waitForURL(/notice=reuse-withdrawn/);
    expect(await page.locator('#reuses tbody tr', { hasText: reuser.name }).count()).toBe(0);
    expect(await page.textContent('#reuse-form')).toBe('Nachnutzung wieder eintragen');
    expect(await page.locator('form[action$="/experience"]').count()).toBe(0);
    await context.close();
  });
});

describe('needs', () => {
  it('an organisation posts a need (errors next to the fields first), the hub shows matching software, another organisation joins it with the keyboard only', async () => {
    const { context, page } = await signedIn(reuser.token);
    await page.goto(`${base}/needs`);
    await page.click('a[href="/needs/new"]');
    await page.waitForURL(/\/needs\/new$/);
    await page.click('main form button[type=submit]');
    await page.waitForLoadState();
    expect(await page.textContent('#need-title-error')).toContain('mindestens 3 Zeichen');
    expect(await page.textContent('#need-description-error')).toContain('beschreiben');
    await expectAccessible(page, 'need-form-errors-de');
    await screenshot(page, 'need-form-errors-de');
    await page.fill('#need-title', 'Baumkataster für Stadtbäume');
    await page.fill('#need-description', 'Wir suchen eine Software, um Stadtbäume zu erfassen und Baumkontrollen zu planen.');
    await page.fill('#need-categories', 'environment, trees');
    await page.fill('#need-deadline', '2027-06-30');
    await page.selectOption('#need-budget', '10–50k');
    await page.click('main form button[type=submit]');
    await page.waitForURL(/\/needs\/[0-9a-f-]{36}\?notice=need-posted/);
    const needUrl = page.url().split('?')[0]!;
    // The first matching runs as a job; the page shows its result once it is there.
    await expect
      .poll(async () => {
        await page.reload();
        return page.locator('a[href="/software/' + software.slug + '"]').count();
      }, { timeout: 30_000 })
      .toBe(1);
    expect(await page.textContent('main')).toContain('10.000 bis 50.000 €');
    expect(await page.textContent('main')).toContain('Diesen Bedarf hat Ihre Organisation gemeldet.');
    await context.close();

    const producerSide = await signedIn(producer.token);
    const p = producerSide.page;
    await p.goto(needUrl);
    // Tab from the top of the content to the join button, then Enter.
    await p.focus('#main');
    let reached = false;
    for (let i = 0; i < 40 && !reached; i++) {
      await p.keyboard.press('Tab');
      reached = await p.evaluate(() => document.activeElement?.closest('form')?.getAttribute('action')?.endsWith('/join') === true && document.activeElement?.tagName === 'BUTTON');
    }
    expect(reached).toBe(true);
    expect(await p.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle)).not.toBe('none');
    await p.keyboard.press('Enter');
    await p.waitForURL(/notice=need-joined/);
    expect(await p.textContent('#supporters')).toContain(producer.name);
    expect(await p.textContent('#supporters')).toContain('Ihre Organisation hat sich diesem Bedarf angeschlossen.');
    await producerSide.context.close();

    // Listed and filtered.
    const anonymous = await browser.newContext({ locale: 'de-DE' });
    const a = await anonymous.newPage();
    await a.goto(`${base}/needs?q=Stadtb%C3%A4ume&status=open`);
    expect(await a.locator('.th-results li').count()).toBeGreaterThanOrEqual(0);
    await a.goto(`${base}/needs?category=trees`);
    expect(await a.textContent('.th-results')).toContain('Baumkataster für Stadtbäume');
    await a.goto(`${base}/needs?category=mobility`);
    expect(await a.textContent('main')).toContain('Keine Bedarfe gefunden.');
    await anonymous.close();
  }, 90_000);
});

describe('the new pages and forms', () => {
  for (const locale of ['de', 'en'] as const) {
    it(`have no serious or critical accessibility violations and a sound heading order, signed in (${locale})`, async () => {
      // A fresh reuse with a report, so producer and reuser both see their forms.
      const other = await organisationWithToken(hub.app, ['reuse'], `Prüfstadt ${locale}`);
      const reuse = await post(`/v1/software/${software.slug}/reuses`, { status: 'piloting' }, { authorization: `Bearer ${other.token}` });
      await post(`/v1/software/${software.slug}/reuses/${reuse.id}/experience-reports`, { recommendation: 3, whatWorked: 'Gut' }, { authorization: `Bearer ${other.token}` });
      const { items } = (await hub.app.inject(`/v1/needs`)).json() as { items: { id: string }[] };
      for (const [who, token] of [['producer', producer.token], ['reuser', other.token]] as const) {
        const { context, page } = await signedIn(token, locale);
        const pages: [string, string][] = [
          [`software-${who}`, `/software/${software.slug}`],
          ['needs', '/needs'],
          ['need', `/needs/${items[0]!.id}`],
          ['need-new', '/needs/new'],
        ];
        for (const [name, path] of pages) {
          const response = await page.goto(`${base}${path}`);
          expect(response!.status(), path).toBe(200);
          expect(await page.getAttribute('html', 'lang')).toBe(locale);
          await expectStructure(page, `${name}-${who}-${locale}`);
          await expectAccessible(page, `${name}-${who}-${locale}`);
          await screenshot(page, `${name}-${who}-${locale}`);
        }
        await context.close();
      }
    }, 90_000);
  }
});
