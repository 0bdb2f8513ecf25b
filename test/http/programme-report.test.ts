import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGitServer, type GitServer } from '../helpers/git-server';
import { admin, bearer, createTestHub, organisationWithToken, type TestHub } from '../helpers/hub';
import { createOrganisation, createSoftware, expectProblem, queryDatabase, type Org } from './fixtures';

let hub: TestHub;
let server: GitServer;
let ulm: Org;
let kassel: Org;
const ids: Record<string, string> = {};

type Report = {
  programme: string;
  reuseBasis: string;
  totals: Record<string, number | null>;
  organisations: {
    slug: string;
    repositoryCount: number;
    software: {
      slug: string;
      repositories: string[];
      publiclyReachable: boolean;
      licence: string | null;
      openLicence: boolean;
      publiccodeValid: boolean;
      readme: boolean;
      lastActivityAt: string | null;
      activeLast12Months: boolean;
      transferPackage: { present: number; applicable: number; completeness: number };
      reusesByOthers: { production: number; other: number };
    }[];
  }[];
};

const report = async (query = '') => {
  const response = await hub.app.inject(`/v1/programmes/mpsc/report${query}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as Report;
};

/** An organisation of a programme of the test's own, so that no other test's entries count. */
const fundedOrganisation = (programme: string, name: string, extra: Record<string, unknown>) =>
  createOrganisation(hub.app, { name, kind: 'municipality', programme, cohortYear: 2021, ...extra });

/** A reuse of the entry by `reuser`, recorded and confirmed by the admin; its id. */
async function confirmedReuse(softwareId: string, reuser: Org, status: string): Promise<string> {
  const recorded = await hub.app.inject({ method: 'POST', url: `/v1/software/${softwareId}/reuses`, headers: admin, payload: { status, organisationId: reuser.id } });
  expect(recorded.statusCode, recorded.body).toBe(201);
  const confirmed = await hub.app.inject({ method: 'POST', url: `/v1/software/${softwareId}/reuses/${recorded.json().id}/confirmation`, headers: admin });
  expect(confirmed.statusCode, confirmed.body).toBe(200);
  return recorded.json().id as string;
}

beforeAll(async () => {
  server = await startGitServer();
  hub = await createTestHub();
  ulm = await createOrganisation(hub.app, { name: 'Stadt Ulm', kind: 'municipality', programme: 'MPSC', cohortYear: 2019, state: 'Baden-Württemberg' });
  kassel = await createOrganisation(hub.app, { name: 'Kooperation Nordhessen', kind: 'municipal_association', programme: 'MPSC', cohortYear: 2020, state: 'Hessen;Niedersachsen' });
  await createOrganisation(hub.app, { name: '=HYPERLINK("x") Fremdprogramm', kind: 'municipality', programme: 'Anderes Programm', cohortYear: 2019 });
  const open = await createSoftware(hub.app, 'test-admin-token-0123456789', { organisationId: ulm.id, name: 'Mängelmelder', slug: 'maengelmelder', licence: 'EUPL-1.2' });
  const closed = await createSoftware(hub.app, 'test-admin-token-0123456789', { organisationId: ulm.id, name: 'Parkraum', slug: 'parkraum', licence: 'CC-BY-NC-4.0' });
  const withdrawn = await createSoftware(hub.app, 'test-admin-token-0123456789', { organisationId: ulm.id, name: 'Alt', slug: 'alt' });
  ids.open = open.id;
  ids.closed = closed.id;
  await hub.app.inject({ method: 'DELETE', url: `/v1/software/${withdrawn.id}`, headers: admin });
  // A release this year makes the entry active; a declared item counts for the transfer package.
  await hub.app.inject({ method: 'POST', url: `/v1/software/${open.id}/releases`, headers: admin, payload: { version: '2.0.0', date: new Date().toISOString() } });
  await hub.app.inject({ method: 'PUT', url: `/v1/software/${open.id}/transfer-package/installation-guide`, headers: admin, payload: { url: 'https://example.org/install' } });
  // Reuse by other organisations, confirmed by the producer but one (self-declared: not counted),
  // and by the owner itself (which does not count).
  for (const [who, status, confirmed] of [['Gemeinde A', 'production', true], ['Gemeinde B', 'piloting', true], ['Gemeinde C', 'retired', true], ['Gemeinde D', 'production', false]] as const) {
    const reuser = await organisationWithToken(hub.app, ['reuse'], who);
    const recorded = await hub.app.inject({ method: 'POST', url: `/v1/software/${open.id}/reuses`, headers: bearer(reuser.token), payload: { status } });
    if (!confirmed) continue;
    const confirmation = await hub.app.inject({ method: 'POST', url: `/v1/software/${open.id}/reuses/${recorded.json().id}/confirmation`, headers: admin });
    if (confirmation.statusCode !== 200) throw new Error(confirmation.body);
  }
  await hub.app.inject({ method: 'POST', url: `/v1/software/${open.id}/reuses`, headers: admin, payload: { status: 'production', organisationId: ulm.id } });
  // A registered repository (its own entry) whose crawl cannot reach the host.
  const registered = await hub.app.inject({ method: 'POST', url: '/v1/repositories', headers: admin, payload: { url: 'http://127.0.0.1:9/ulm/sensoren', organisationId: ulm.id } });
  ids.repository = registered.json().id;
  ids.crawled = registered.json().softwareId;
});
afterAll(async () => {
  await hub?.close();
  await server?.close();
});

describe('the programme report', () => {
  it('lists each funded organisation with its active software and the obligations each entry meets', async () => {
    const body = await report();
    expect(body.organisations.map((o) => o.slug)).toEqual([kassel.slug, ulm.slug]);
    const [nordhessen, stadtUlm] = body.organisations;
    expect(nordhessen!.software).toEqual([]);
    expect(stadtUlm!.repositoryCount).toBe(1);
    const bySlug = Object.fromEntries(stadtUlm!.software.map((s) => [s.slug, s]));
    expect(Object.keys(bySlug)).toHaveLength(3);
    expect(bySlug).not.toHaveProperty('alt');
    expect(bySlug.maengelmelder).toMatchObject({
      licence: 'EUPL-1.2',
      openLicence: true,
      publiclyReachable: false,
      publiccodeValid: false,
      readme: false,
      activeLast12Months: true,
      transferPackage: { present: 1, applicable: 11 },
      reusesByOthers: { production: 1, other: 1 },
    });
    expect(bySlug.parkraum).toMatchObject({ openLicence: false, activeLast12Months: false, reusesByOthers: { production: 0, other: 0 } });
    expect(body.reuseBasis).toBe('confirmed');
    expect(body.totals).toMatchObject({
      organisations: 2,
      organisationsWithoutSoftware: 1,
      repositories: 1,
      software: 3,
      openLicence: 1,
      activeLast12Months: 1,
      softwareReusedByOthers: 1,
      reusesByOthers: 2,
    });
  });

  it('counts a repository as publicly reachable once its last crawl succeeded, and a commit in the last year as activity', async () => {
    const before = (await report()).organisations[1]!.software.find((s) => s.repositories.length > 0)!;
    expect(before).toMatchObject({ publiclyReachable: false, activeLast12Months: false, repositories: ['http://127.0.0.1:9/ulm/sensoren'] });
    await queryDatabase(hub, "update repository set crawl_state = 'succeeded', head_committed_at = now() - interval '2 months' where id = $1", [ids.repository]);
    const after = (await report()).organisations[1]!.software.find((s) => s.repositories.length > 0)!;
    expect(after).toMatchObject({ publiclyReachable: true, activeLast12Months: true });
    await queryDatabase(hub, "update repository set head_committed_at = now() - interval '13 months' where id = $1", [ids.repository]);
    expect((await report()).organisations[1]!.software.find((s) => s.repositories.length > 0)!.activeLast12Months).toBe(false);
  });

  it('filters by cohort year and by any of an organisation’s states', async () => {
    expect((await report('?cohort=2019')).organisations.map((o) => o.slug)).toEqual([ulm.slug]);
    expect((await report('?state=niedersachsen')).organisations.map((o) => o.slug)).toEqual([kassel.slug]);
    expect((await report('?cohort=2021')).totals.organisations).toBe(0);
  });

  it('answers CSV by content negotiation and under .csv: one line per software, one per organisation without software, totals last', async () => {
    const negotiated = await hub.app.inject({ url: '/v1/programmes/MPSC/report', headers: { accept: 'text/csv' } });
    const suffixed = await hub.app.inject('/v1/programmes/MPSC/report.csv');
    for (const response of [negotiated, suffixed]) {
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/csv/);
    }
    const lines = suffixed.body.trimEnd().split('\r\n');
    expect(lines[0]).toMatch(/^organisation_slug,organisation_name,.*,transfer_completeness,reuses_by_others_production,reuses_by_others_other$/);
    expect(lines).toHaveLength(1 + 1 + 3 + 1);
    expect(lines[1]).toMatch(new RegExp(`^${kassel.slug},Kooperation Nordhessen,municipal_association,"Hessen;Niedersachsen",2020,0,,,`));
    expect(lines.find((l) => l.includes(',maengelmelder,'))).toContain(',EUPL-1.2,true,');
    expect(lines.at(-1)).toMatch(/^,"total \(2 organisations, 1 without software\)",,,,1,,3 software,/);
    expect((await hub.app.inject({ url: '/v1/programmes/MPSC/report', headers: { accept: 'application/json, text/csv' } })).headers['content-type']).toMatch(/^application\/json/);
  });

  it('neutralises spreadsheet formulas in names', async () => {
    const csv = (await hub.app.inject('/v1/programmes/anderes%20programm/report.csv')).body;
    expect(csv).toContain(`"'=HYPERLINK(""x"") Fremdprogramm"`);
  });

  it('an unknown programme is a 404 problem with its own type', async () => {
    const problem = expectProblem(await hub.app.inject('/v1/programmes/unbekannt/report'), 404);
    expect(problem.type).toBe('https://transferhub.eu/problems/programme.not-found');
  });
});

describe('the report follows the crawls', { timeout: 90_000 }, () => {
  /**
   * Until the repository's next crawl has ended (a later lastCheckedAt than before). Not the queue's
   * idle(): the unreachable repository of the set-up is still being retried with back-off.
   */
  async function crawled(id: string, before: string | null) {
    for (;;) {
      const { crawl } = (await hub.app.inject(`/v1/repositories/${id}`)).json() as { crawl: { state: string; lastCheckedAt: string | null } };
      if (['succeeded', 'unchanged', 'failed'].includes(crawl.state) && crawl.lastCheckedAt !== before) return crawl.lastCheckedAt;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  async function recrawl(id: string, before: string | null) {
    const refresh = await hub.app.inject({ method: 'POST', url: `/v1/repositories/${id}/crawl`, headers: admin });
    expect(refresh.statusCode, refresh.body).toBe(202);
    return crawled(id, before);
  }
  const entry = async () => (await report('?cohort=2022')).organisations[0]!.software[0]!;

  it('a crawl that finds a README marks the entry as having one, a crawl after the README was deleted marks it back', async () => {
    const zwickau = await createOrganisation(hub.app, { name: 'Stadt Zwickau', kind: 'municipality', programme: 'MPSC', cohortYear: 2022, state: 'Sachsen' });
    const repo = await server.createRepo('zwickau/sensoren', { 'README.md': '# Sensoren\n\nMesswerte der Stadt.', 'main.py': 'print(1)\n' }, { date: '2020-01-15T10:00:00+01:00' });
    const registered = await hub.app.inject({ method: 'POST', url: '/v1/repositories', headers: admin, payload: { url: server.repoUrl('zwickau/sensoren'), organisationId: zwickau.id } });
    expect(registered.statusCode, registered.body).toBe(202);
    const id = registered.json().id as string;
    let checked = await crawled(id, null);
    expect(await entry()).toMatchObject({ readme: true, publiclyReachable: true, lastActivityAt: '2020-01-15T09:00:00Z', activeLast12Months: false });

    await rm(join(repo.workDir, 'README.md'));
    await repo.commit({}, 'README entfernt', new Date().toISOString());
    await repo.push();
    checked = await recrawl(id, checked);
    const after = await entry();
    expect(after).toMatchObject({ readme: false, publiclyReachable: true, activeLast12Months: true });
    expect(Date.now() - new Date(after.lastActivityAt!).getTime()).toBeLessThan(3_600_000);

    await repo.commit({ 'README.md': '# Sensoren\n\nWieder da.' }, 'README zurück');
    await repo.push();
    await recrawl(id, checked);
    expect((await entry()).readme).toBe(true);
  });
});

describe('reuses by other organisations in the report', () => {
  it('leave out the producer’s cooperation partners in every form, as the software’s own counts do', async () => {
    const org = (name: string, extra: Record<string, unknown>) => fundedOrganisation('Kooperationstest', name, extra);
    const memberA = await org('Mitglied A', { ags: '03101000' });
    const memberB = await org('Mitglied B', { ags: '03102000' });
    const cooperation = await org('Kooperation AB', { kind: 'municipal_association', memberKeys: ['03101000', '03102000'] });
    const sharing = await org('Verband mit gemeinsamem Mitglied', { kind: 'municipal_association', memberKeys: ['03101000'] });
    const stranger = await org('Fremde Stadt', { ags: '03103000' });
    // A member's software: its cooperation (member key), a fellow member (same cooperation) and an
    // association sharing the member key are partners; only the stranger counts.
    const ofMember = await createSoftware(hub.app, 'test-admin-token-0123456789', { organisationId: memberA.id, name: 'Software von A', slug: 'software-von-a' });
    for (const reuser of [cooperation, memberB, stranger]) await confirmedReuse(ofMember.id, reuser, 'production');
    // The cooperation's software: its member is a partner; the association sharing a member key too.
    const ofCooperation = await createSoftware(hub.app, 'test-admin-token-0123456789', { organisationId: cooperation.id, name: 'Software der Kooperation', slug: 'software-der-kooperation' });
    for (const reuser of [memberA, sharing]) await confirmedReuse(ofCooperation.id, reuser, 'piloting');
    await confirmedReuse(ofCooperation.id, stranger, 'piloting');

    const response = await hub.app.inject('/v1/programmes/kooperationstest/report');
    expect(response.statusCode, response.body).toBe(200);
    const entries = (response.json() as Report).organisations.flatMap((o) => o.software);
    const bySlug = Object.fromEntries(entries.map((s) => [s.slug, s.reusesByOthers]));
    expect(bySlug['software-von-a']).toEqual({ production: 1, other: 0 });
    expect(bySlug['software-der-kooperation']).toEqual({ production: 0, other: 1 });
    for (const slug of ['software-von-a', 'software-der-kooperation']) {
      const detail = (await hub.app.inject(`/v1/software/${slug}`)).json() as { reuseCounts: { byOtherOrganisations: { confirmed: number } } };
      expect(bySlug[slug]!.production + bySlug[slug]!.other).toBe(detail.reuseCounts.byOtherOrganisations.confirmed);
    }
  });
});

describe('the report after writes', () => {
  it('follows the transfer package, a withdrawal and a cooperation registered after the reuses, as the entry’s own counts do', async () => {
    const org = (name: string, extra: Record<string, unknown>) => fundedOrganisation('Nachführung', name, extra);
    const producer = await org('Stadt Herstellerin', { ags: '09161000' });
    const neighbour = await org('Stadt Nachbarin', { ags: '09162000' });
    const stranger = await org('Stadt Fremd', { ags: '09163000' });
    const entry = await createSoftware(hub.app, 'test-admin-token-0123456789', { organisationId: producer.id, name: 'Nachgeführt', slug: 'nachgefuehrt' });
    const line = async () => {
      const response = await hub.app.inject('/v1/programmes/nachf%C3%BChrung/report');
      expect(response.statusCode, response.body).toBe(200);
      return (response.json() as Report).organisations.flatMap((o) => o.software).find((s) => s.slug === 'nachgefuehrt')!;
    };
    const write = async (method: 'PUT' | 'DELETE', url: string, payload?: Record<string, unknown>) => {
      const response = await hub.app.inject({ method, url, headers: admin, ...(payload ? { payload } : {}) });
      expect(response.statusCode, response.body).toBeLessThan(300);
    };
    expect((await line()).transferPackage).toEqual({ present: 0, applicable: 11, completeness: 0 });

    await write('PUT', `/v1/software/${entry.id}/transfer-package/installation-guide`, { url: 'https://example.org/installation' });
    await write('PUT', `/v1/software/${entry.id}/transfer-package/procurement`, { notApplicable: true });
    expect((await line()).transferPackage).toEqual({ present: 1, applicable: 10, completeness: 0.1 });
    await write('DELETE', `/v1/software/${entry.id}/transfer-package/installation-guide`);
    expect((await line()).transferPackage).toEqual({ present: 0, applicable: 10, completeness: 0 });

    await confirmedReuse(entry.id, neighbour, 'production');
    const byStranger = await confirmedReuse(entry.id, stranger, 'piloting');
    expect((await line()).reusesByOthers).toEqual({ production: 1, other: 1 });
    await write('DELETE', `/v1/software/${entry.id}/reuses/${byStranger}`);
    expect((await line()).reusesByOthers).toEqual({ production: 1, other: 0 });
    // A cooperation of producer and neighbour registered now makes them partners: the neighbour's
    // reuse no longer counts, in the report as on the entry.
    await createOrganisation(hub.app, { name: 'Zweckverband Herstellerin und Nachbarin', kind: 'municipal_association', memberKeys: ['09161000', '09162000'] });
    expect((await line()).reusesByOthers).toEqual({ production: 0, other: 0 });
    const detail = (await hub.app.inject(`/v1/software/${entry.id}`)).json() as { reuseCounts: { byOtherOrganisations: { confirmed: number } } };
    expect(detail.reuseCounts.byOtherOrganisations.confirmed).toBe(0);
  });
});
