import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGitServer, type GitServer, type TestRepo } from '../helpers/git-server';
import { ADMIN_TOKEN, admin, createTestHub, type TestHub } from '../helpers/hub';

const run = promisify(execFile);

/** The ```sh blocks of one README section, verbatim. */
async function shellBlocks(heading: string): Promise<string[]> {
  const readme = await readFile(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
  const start = readme.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`README has no section "${heading}"`);
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1]!);
}

/** Runs a README block with bash as a CI job would: in the checkout, with the job's variables, failing on the first error. */
async function bash(script: string, options: { cwd: string; env: Record<string, string> }) {
  try {
    const { stdout } = await run('bash', ['-eo', 'pipefail', '-c', script], {
      cwd: options.cwd,
      env: { PATH: process.env.PATH, HOME: process.env.HOME ?? '/tmp', ...options.env },
    });
    return { code: 0, stdout };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

let hub: TestHub;
let server: GitServer;
let checkout: TestRepo;
let hubUrl: string;

beforeAll(async () => {
  hub = await createTestHub();
  await hub.app.listen({ port: 0, host: '127.0.0.1' });
  hubUrl = `http://127.0.0.1:${(hub.app.server.address() as AddressInfo).port}`;
  server = await startGitServer();
  // The pipeline's checkout: the tagged commit with an annotated release tag.
  checkout = await server.createRepo('ulm/mitmachportal', { 'README.md': '# Mitmachportal' }, { date: '2024-05-02T09:00:00+02:00' });
  await checkout.tag('v1.4.0', { message: 'Version 1.4.0', date: '2024-05-03T14:30:00+02:00' });
});
afterAll(async () => {
  await hub?.close();
  await server?.close();
});

describe('the README example "A CI pipeline pushing a release"', { timeout: 60_000 }, () => {
  it('runs as written: the admin creates a publish token, the pipeline pushes a release, and a re-run of the job succeeds too', async () => {
    const blocks = await shellBlocks('A CI pipeline pushing a release');
    expect(blocks).toHaveLength(2);
    const [createToken, pushRelease] = blocks as [string, string];

    // The organisation and software the example names.
    const organisation = await hub.app.inject({ method: 'POST', url: '/v1/organisations', headers: admin, payload: { name: 'Stadt Ulm', slug: 'ulm', kind: 'municipality' } });
    expect(organisation.statusCode, organisation.body).toBe(201);
    const software = await hub.app.inject({
      method: 'POST',
      url: '/v1/software',
      headers: admin,
      payload: { name: 'Mitmachportal', slug: 'mitmachportal', organisationId: organisation.json().id },
    });
    expect(software.statusCode, software.body).toBe(201);

    const created = await bash(createToken, { cwd: checkout.workDir, env: { HUB_ADMIN_TOKEN: ADMIN_TOKEN, TRANSFERHUB_URL: hubUrl } });
    expect(created.code, created.stdout).toBe(0);
    const token = (JSON.parse(created.stdout) as { token: string; scopes: string[] });
    expect(token.scopes).toEqual(['publish']);

    const job = {
      cwd: checkout.workDir,
      env: {
        TRANSFERHUB_URL: hubUrl,
        TRANSFERHUB_TOKEN: token.token,
        SOFTWARE_SLUG: 'mitmachportal',
        CI_COMMIT_TAG: 'v1.4.0',
        CI_PROJECT_URL: 'https://gitlab.opencode.de/ulm/mitmachportal',
      },
    };
    const first = await bash(pushRelease, job);
    expect(first.code, first.stdout).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ version: '1.4.0', source: 'api' });
    // A retried job runs later, not within the same second.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const rerun = await bash(pushRelease, job);
    expect(rerun.code, rerun.stdout).toBe(0);
    expect(JSON.parse(rerun.stdout)).toEqual(JSON.parse(first.stdout));

    const releases = (await hub.app.inject('/v1/software/mitmachportal/releases')).json().items;
    expect(releases).toHaveLength(1);
    // The tag's own date (the tagger's), the one a crawl of the repository finds too.
    expect(releases[0].date).toBe('2024-05-03T12:30:00.000Z');
  });
});
