import { writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkoutWithTag, runCli } from '../helpers/cli';
import { admin, bearer, createTestHub, organisationWithToken, type TestHub } from '../helpers/hub';

let hub: TestHub;
let hubUrl: string;
let publisher: { organisation: { id: string; slug: string }; token: string };
let checkout: string;

const NOTES = 'Fehlerbehebungen und neue Module\n\n- Terminbuchung\n- Barrierefreiheit';

beforeAll(async () => {
  hub = await createTestHub();
  await hub.app.listen({ port: 0, host: '127.0.0.1' });
  hubUrl = `http://127.0.0.1:${(hub.app.server.address() as AddressInfo).port}`;
  publisher = await organisationWithToken(hub.app, ['publish']);
  checkout = await checkoutWithTag('v1.4.0', { message: NOTES, date: '2024-05-03T14:30:00+02:00' });
});
afterAll(async () => hub?.close());

async function createSoftware(slug: string) {
  const response = await hub.app.inject({ method: 'POST', url: '/v1/software', headers: admin, payload: { name: slug, slug, organisationId: publisher.organisation.id } });
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as { id: string; slug: string };
}

async function releasesOf(slug: string) {
  return (await hub.app.inject(`/v1/software/${slug}/releases`)).json().items as { version: string; date: string; notes: string | null; url: string | null; source: string }[];
}

/** A GitLab CI tag pipeline for v1.4.0 of ulm/<project>. */
const gitlabJob = (project: string, extra: Record<string, string> = {}) => ({
  TRANSFERHUB_URL: hubUrl,
  TRANSFERHUB_TOKEN: publisher.token,
  GITLAB_CI: 'true',
  CI_COMMIT_TAG: 'v1.4.0',
  CI_PROJECT_URL: `https://gitlab.opencode.de/ulm/${project}`,
  ...extra,
});

describe('transferhub release push', { timeout: 60_000 }, () => {
  it('publishes the CI tag with the tag date, the annotated message as notes and the release URL (201), and a re-run answers 200 unchanged', async () => {
    await createSoftware('terminbuchung');
    const first = await runCli(['release', 'push', '--software', 'terminbuchung'], { cwd: checkout, env: gitlabJob('terminbuchung') });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^transferhub: 1\.4\.0 published .*\(201\)/);
    const rerun = await runCli(['release', 'push', '--software', 'terminbuchung', '--json'], { cwd: checkout, env: gitlabJob('terminbuchung') });
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(JSON.parse(rerun.stdout)).toMatchObject({ version: '1.4.0', source: 'api' });
    expect(await releasesOf('terminbuchung')).toEqual([
      expect.objectContaining({
        version: '1.4.0',
        date: '2024-05-03T12:30:00.000Z',
        notes: NOTES,
        url: 'https://gitlab.opencode.de/ulm/terminbuchung/-/releases/v1.4.0',
      }),
    ]);
  });

  it('other notes for a published version exit 5 with the 409 in one line', async () => {
    await createSoftware('maengelmelder');
    expect((await runCli(['release', 'push', '--software', 'maengelmelder'], { cwd: checkout, env: gitlabJob('maengelmelder') })).code).toBe(0);
    const notesFile = join(checkout, '..', `notes-${Date.now()}.md`);
    await writeFile(notesFile, 'Ganz andere Notizen\n');
    const changed = await runCli(['release', 'push', '--software', 'maengelmelder', '--notes-file', notesFile], { cwd: checkout, env: gitlabJob('maengelmelder') });
    expect(changed.code).toBe(5);
    expect(changed.stderr.trim().split('\n')).toHaveLength(1);
    expect(changed.stderr).toMatch(/409 .*already published with other notes.*\/notes/);
    expect((await releasesOf('maengelmelder'))[0]!.notes).toBe(NOTES);
  });

  it('a wrong token exits 3 (401), a token of another organisation exits 3 (403)', async () => {
    await createSoftware('ratsinfo');
    const wrong = await runCli(['release', 'push', '--software', 'ratsinfo'], { cwd: checkout, env: gitlabJob('ratsinfo', { TRANSFERHUB_TOKEN: 'thub_falsch' }) });
    expect(wrong.code).toBe(3);
    expect(wrong.stderr).toMatch(/^transferhub: 401 /);
    const stranger = await organisationWithToken(hub.app, ['publish']);
    const foreign = await runCli(['release', 'push', '--software', 'ratsinfo'], { cwd: checkout, env: gitlabJob('ratsinfo', { TRANSFERHUB_TOKEN: stranger.token }) });
    expect(foreign.code).toBe(3);
    expect(foreign.stderr).toMatch(/^transferhub: 403 /);
    expect(await releasesOf('ratsinfo')).toEqual([]);
  });

  it('an unknown software exits 4 (404)', async () => {
    const run = await runCli(['release', 'push', '--software', 'gibt-es-nicht'], { cwd: checkout, env: gitlabJob('gibt-es-nicht') });
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/^transferhub: 404 /);
  });

  it('a hub that does not listen exits 6 after the retries, saying each retry', async () => {
    const closed = await closedPort();
    const run = await runCli(['release', 'push', '--software', 'x', '--retries', '1'], { cwd: checkout, env: gitlabJob('x', { TRANSFERHUB_URL: `http://127.0.0.1:${closed}` }) });
    expect(run.code).toBe(6);
    expect(run.stderr).toMatch(/ECONNREFUSED; retrying in/);
    expect(run.stderr).toMatch(/hub unreachable .*ECONNREFUSED \(2 attempts\)/);
  });

  it('retries a 503 (honouring Retry-After) and succeeds when the hub answers', async () => {
    const seen: string[] = [];
    const flaky = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      if (seen.length === 1) res.writeHead(503, { 'retry-after': '0', 'content-type': 'application/problem+json' }).end('{"detail":"database unavailable"}');
      else res.writeHead(201, { 'content-type': 'application/json' }).end('{"version":"1.4.0"}');
    });
    const port = await listen(flaky);
    try {
      const run = await runCli(['release', 'push', '--software', 'x'], { cwd: checkout, env: gitlabJob('x', { TRANSFERHUB_URL: `http://127.0.0.1:${port}` }) });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toMatch(/503 database unavailable; retrying in 0\.0 s/);
      expect(seen).toEqual(['POST /v1/software/x/releases', 'POST /v1/software/x/releases']);
    } finally {
      flaky.close();
    }
  });

  it('a hub address that redirects (http to https) is not followed: exit 1 naming where it points', async () => {
    const redirecting = createServer((req, res) => res.writeHead(301, { location: `https://hub.example.org${req.url}` }).end());
    const port = await listen(redirecting);
    try {
      const run = await runCli(['release', 'push', '--software', 'x'], { cwd: checkout, env: gitlabJob('x', { TRANSFERHUB_URL: `http://127.0.0.1:${port}` }) });
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/301 the hub redirects to https:\/\/hub\.example\.org\/v1\/software\/x\/releases/);
    } finally {
      redirecting.close();
    }
  });

  it('--dry-run prints the request it would send and sends nothing', async () => {
    await createSoftware('trockenlauf');
    const run = await runCli(['release', 'push', '--software', 'trockenlauf', '--dry-run'], { cwd: checkout, env: gitlabJob('trockenlauf') });
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      dryRun: true,
      request: {
        method: 'POST',
        url: `${hubUrl}/v1/software/trockenlauf/releases`,
        body: { version: 'v1.4.0', date: '2024-05-03T14:30:00+02:00', notes: NOTES, url: 'https://gitlab.opencode.de/ulm/trockenlauf/-/releases/v1.4.0' },
      },
    });
    expect(await releasesOf('trockenlauf')).toEqual([]);
  });

  it('without --software finds the software by the GitHub Actions repository URL among the registered repositories', async () => {
    // A closed loopback port: the registration's crawl fails at once and never leaves the machine.
    const registered = await hub.app.inject({
      method: 'POST',
      url: '/v1/repositories',
      headers: bearer(publisher.token),
      payload: { url: 'http://127.0.0.1:9/ulm/buergerhaushalt.git', organisationId: publisher.organisation.id },
    });
    expect(registered.statusCode, registered.body).toBe(202);
    const github = {
      TRANSFERHUB_URL: hubUrl,
      TRANSFERHUB_TOKEN: publisher.token,
      GITHUB_ACTIONS: 'true',
      GITHUB_SERVER_URL: 'http://127.0.0.1:9',
      GITHUB_REPOSITORY: 'ulm/buergerhaushalt',
      GITHUB_REF: 'refs/tags/v1.4.0',
      GITHUB_REF_NAME: 'v1.4.0',
      GITHUB_REF_TYPE: 'tag',
    };
    const run = await runCli(['release', 'push', '--json'], { cwd: checkout, env: github });
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ version: '1.4.0', softwareId: registered.json().softwareId, url: 'http://127.0.0.1:9/ulm/buergerhaushalt/releases/tag/v1.4.0' });

    const unknown = await runCli(['release', 'push'], { cwd: checkout, env: { ...github, GITHUB_REPOSITORY: 'ulm/unbekannt' } });
    expect(unknown.code).toBe(4);
    expect(unknown.stderr).toMatch(/no repository http:\/\/127\.0\.0\.1:9\/ulm\/unbekannt is registered/);
  });

  it('outside a tag pipeline, or without TRANSFERHUB_URL, it is a usage error (exit 2) before anything is sent', async () => {
    const branch = await runCli(['release', 'push', '--software', 'x'], { cwd: checkout, env: { TRANSFERHUB_URL: hubUrl, TRANSFERHUB_TOKEN: 't', GITHUB_ACTIONS: 'true', GITHUB_REF: 'refs/heads/main', GITHUB_REF_NAME: 'main', GITHUB_REF_TYPE: 'branch' } });
    expect(branch.code).toBe(2);
    expect(branch.stderr).toMatch(/no tag/);
    const unset = await runCli(['release', 'push', '--software', 'x', '--tag', 'v1.4.0'], { cwd: checkout, env: {} });
    expect(unset.code).toBe(2);
    expect(unset.stderr).toMatch(/TRANSFERHUB_URL is not set/);
  });
});

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

/** A port nothing listens on: bound once, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  const port = await listen(server);
  await new Promise((resolve) => server.close(resolve));
  return port;
}
