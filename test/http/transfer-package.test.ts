import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, bearer, createTestHub, organisationWithToken, type TestHub } from '../helpers/hub';
import { expectProblem, problemFields, publisherWithSoftware, queryDatabase } from './fixtures';

let hub: TestHub;
beforeAll(async () => {
  hub = await createTestHub();
});
afterAll(async () => hub?.close());

type Item = { source: string; url: string | null; path: string | null; email: string | null; href: string | null; repository: { url: string } | null; language: string | null; lastCheckedOn: string | null };
type Package = {
  present: number;
  applicable: number;
  completeness: number;
  kinds: { kind: string; label: { de: string; en: string }; status: string; item: Item | null; discovered: Item[] }[];
};

const put = (software: string, kind: string, token: string, payload: Record<string, unknown>) =>
  hub.app.inject({ method: 'PUT', url: `/v1/software/${software}/transfer-package/${kind}`, headers: bearer(token), payload });
const remove = (software: string, kind: string, token: string) =>
  hub.app.inject({ method: 'DELETE', url: `/v1/software/${software}/transfer-package/${kind}`, headers: bearer(token) });
const getPackage = async (software: string) => (await hub.app.inject(`/v1/software/${software}/transfer-package`)).json() as Package;
const kindOf = (pkg: Package, kind: string) => pkg.kinds.find((k) => k.kind === kind)!;

describe('the transfer package', () => {
  it('lists all eleven kinds with German and English labels, all missing, for a new entry', async () => {
    const { software } = await publisherWithSoftware(hub.app);
    const pkg = await getPackage(software.slug);
    expect(pkg.kinds.map((k) => k.kind)).toEqual([
      'installation-guide', 'operations-manual', 'system-requirements', 'running-costs', 'procurement', 'cooperation-agreement',
      'data-protection', 'accessibility-statement', 'security-contact', 'training-material', 'reuse-contact',
    ]);
    expect(kindOf(pkg, 'cooperation-agreement').label).toEqual({ de: 'Muster-Kooperationsvertrag', en: 'Cooperation agreement template' });
    expect(pkg.kinds.every((k) => k.status === 'missing')).toBe(true);
    expect(pkg).toMatchObject({ present: 0, applicable: 11, completeness: 0 });
  });

  it('the owner declares a link, a mailbox and a kind that does not apply; the score counts present out of applicable', async () => {
    const { software, token } = await publisherWithSoftware(hub.app);
    const linked = await put(software.id, 'operations-manual', token, { url: 'https://example.org/betrieb.pdf', language: 'de', lastCheckedOn: '2026-11-01' });
    expect(linked.statusCode, linked.body).toBe(200);
    expect(kindOf(linked.json(), 'operations-manual')).toMatchObject({
      status: 'present',
      item: { source: 'declared', url: 'https://example.org/betrieb.pdf', href: 'https://example.org/betrieb.pdf', language: 'de', lastCheckedOn: '2026-11-01' },
    });
    expect((await put(software.id, 'reuse-contact', token, { email: 'nachnutzung@example.org' })).statusCode).toBe(200);
    const na = await put(software.id, 'cooperation-agreement', token, { notApplicable: true });
    expect(na.json()).toMatchObject({ present: 2, applicable: 10, completeness: 0.2 });
    expect(kindOf(na.json(), 'cooperation-agreement').status).toBe('not-applicable');
    const detail = (await hub.app.inject(`/v1/software/${software.id}`)).json();
    expect(detail.transferPackage).toEqual({ present: 2, applicable: 10, completeness: 0.2 });
    // The search document carries the score for facets and ranking.
    const [row] = await queryDatabase<{ transfer_completeness: number }>(hub, 'select transfer_completeness from software_search where software_id = $1', [software.id]);
    expect(row!.transfer_completeness).toBeCloseTo(0.2, 5);
  });

  it('an item defaults its last-checked date to today, and a second PUT replaces the declaration', async () => {
    const { software, token } = await publisherWithSoftware(hub.app);
    await put(software.id, 'training-material', token, { url: 'https://example.org/alt' });
    const replaced = (await put(software.id, 'training-material', token, { url: 'https://example.org/neu', language: 'en' })).json() as Package;
    expect(kindOf(replaced, 'training-material').item).toMatchObject({ url: 'https://example.org/neu', language: 'en', lastCheckedOn: new Date().toISOString().slice(0, 10) });
    expect(replaced.present).toBe(1);
  });

  it('a path names a file in the repository registered for the software; another repository is refused', async () => {
    const { organisation, token } = await organisationWithToken(hub.app, ['publish']);
    const registered = await hub.app.inject({
      method: 'POST',
      url: '/v1/repositories',
      headers: admin,
      payload: { url: 'http://127.0.0.1:9/stadt-test/paket', organisationId: organisation.id },
    });
    expect(registered.statusCode, registered.body).toBe(202);
    const software = { id: registered.json().softwareId as string };
    const response = await put(software.id, 'installation-guide', token, { path: 'docs/installation.md', language: 'de' });
    expect(response.statusCode, response.body).toBe(200);
    expect(kindOf(response.json(), 'installation-guide').item).toMatchObject({
      path: 'docs/installation.md',
      repository: { url: 'http://127.0.0.1:9/stadt-test/paket' },
      // A plain git host serves no files over HTTP: no link to show.
      href: null,
    });
    const other = await put(software.id, 'installation-guide', token, { path: 'INSTALL.md', repository: 'https://github.com/stadt-test/anderes' });
    expect(expectProblem(other, 400).type).toBe('https://transferhub.eu/problems/transfer-package.repository-not-registered');
  });

  it('refuses items that are not an http(s) link, a repository path or a contact mailbox, each with its own problem type', async () => {
    const { software, token } = await publisherWithSoftware(hub.app);
    const script = await put(software.id, 'operations-manual', token, { url: 'javascript:alert(1)' });
    expectProblem(script, 400);
    expect(problemFields(script)).toContain('body/url');
    const cases: [Record<string, unknown>, string][] = [
      [{}, 'transfer-package.target-required'],
      [{ url: 'https://example.org/a', email: 'a@example.org' }, 'transfer-package.target-required'],
      [{ notApplicable: true, url: 'https://example.org/a' }, 'transfer-package.target-conflict'],
      [{ email: 'a@example.org' }, 'transfer-package.email-not-for-kind'],
      [{ path: '../etc/passwd' }, 'transfer-package.path-invalid'],
      [{ path: 'docs/betrieb.md' }, 'transfer-package.repository-required'],
    ];
    for (const [payload, type] of cases) {
      expect(expectProblem(await put(software.id, 'operations-manual', token, payload), 400).type, JSON.stringify(payload)).toBe(`https://transferhub.eu/problems/${type}`);
    }
    expectProblem(await put(software.id, 'source-code', token, { url: 'https://example.org' }), 400);
    expect((await getPackage(software.id)).present).toBe(0);
  });

  it('removing a declaration is audited; removing one that does not exist is a specific 404', async () => {
    const { software, token } = await publisherWithSoftware(hub.app);
    await put(software.id, 'running-costs', token, { url: 'https://example.org/kosten' });
    expect((await remove(software.id, 'running-costs', token)).statusCode).toBe(204);
    expect((await getPackage(software.id)).present).toBe(0);
    const again = await remove(software.id, 'running-costs', token);
    expect(expectProblem(again, 404).type).toBe('https://transferhub.eu/problems/transfer-package.not-declared');
    const actions = await queryDatabase<{ action: string; detail: { kind: string } }>(
      hub,
      "select action, detail from audit_event where entity_id = $1 and action like 'transfer-item.%' order by at",
      [software.id],
    );
    expect(actions.map((a) => [a.action, a.detail.kind])).toEqual([['transfer-item.set', 'running-costs'], ['transfer-item.remove', 'running-costs']]);
  });

  it('a publish token of another organisation gets 403 and the package stays as it was', async () => {
    const { software } = await publisherWithSoftware(hub.app);
    const stranger = await organisationWithToken(hub.app, ['publish']);
    expectProblem(await put(software.id, 'procurement', stranger.token, { url: 'https://example.org/vergabe' }), 403);
    expect((await getPackage(software.id)).present).toBe(0);
  });
});
