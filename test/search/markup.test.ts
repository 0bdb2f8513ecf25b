import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHub, type TestHub } from '../helpers/hub';
import { publisherWithSoftware } from '../http/fixtures';

let hub: TestHub;
beforeAll(async () => {
  hub = await createTestHub();
});
afterAll(async () => hub?.close());

const payload = '<img src=x onerror=alert(1)>';

describe('markup in names and descriptions is text, never HTML', () => {
  it('a search snippet escapes markup around its <mark> highlights', async () => {
    await publisherWithSoftware(hub.app, { name: 'Kartenwerk', shortDescription: { de: `${payload} Stadtplan für alle <script>alert(2)</script>` } });
    const page = (await hub.app.inject('/v1/software?q=Stadtplan')).json() as { items: { name: string; search?: { snippet: { text: string } | null } }[] };
    const snippet = page.items.find((item) => item.name === 'Kartenwerk')?.search?.snippet?.text;
    expect(snippet).toContain('<mark>Stadtplan</mark>');
    expect(snippet).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(snippet).not.toMatch(/<(img|script)/);
  });

  it('a suggestion gives a name with markup as plain JSON text, the same as the stored name', async () => {
    await publisherWithSoftware(hub.app, { name: `${payload}Stadtplaner` });
    const response = await hub.app.inject('/v1/search/suggest?q=Stadtplaner');
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    const items = (response.json() as { items: { kind: string; text: string }[] }).items;
    // The suggestion is a JSON string without any highlighting markup: a client inserts it as text (textContent).
    expect(items).toContainEqual(expect.objectContaining({ kind: 'software', text: `${payload}Stadtplaner` }));
  });
});
