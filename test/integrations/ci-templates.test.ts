import { execFile } from 'node:child_process';
import { mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { VALID as VALID_PUBLICCODE } from '../helpers/publiccode-fixture';
import { git } from '../helpers/git-server';
import { admin, createTestHub, organisationWithToken, type TestHub } from '../helpers/hub';

/*
 * The integration files run as written: each template is parsed, and its shell commands run
 * with bash in a tag checkout, with the variables the CI sets, against a listening hub, twice.
 * Only the installation is not exercised (it clones and runs `npm ci` from the network): the
 * command is already where the template looks for it, as a runner's cache or the action's own
 * checkout would hold it (the repository itself, with its node_modules).
 */
const ROOT = join(import.meta.dirname, '..', '..');
const NOTES = 'Neue Terminbuchung';

let hub: TestHub;
let hubUrl: string;
let publisher: { organisation: { id: string; slug: string }; token: string };

beforeAll(async () => {
  hub = await createTestHub();
  await hub.app.listen({ port: 0, host: '127.0.0.1' });
  hubUrl = `http://127.0.0.1:${(hub.app.server.address() as AddressInfo).port}`;
  publisher = await organisationWithToken(hub.app, ['publish']);
});
afterAll(async () => hub?.close());

async function template(path: string) {
  return parse(await readFile(join(ROOT, path), 'utf8'));
}

/** A checkout of a tag pipeline: the tagged commit, an annotated tag, a publiccode.yml. */
async function tagCheckout(): Promise<string> {
  const dir = join(await mkdtemp(join(tmpdir(), 'ci-template-')), 'checkout');
  await git(tmpdir(), ['init', '-q', '-b', 'main', dir]);
  await writeFile(join(dir, 'publiccode.yml'), VALID_PUBLICCODE);
  await git(dir, ['add', '-A']);
  await git(dir, ['commit', '-q', '-m', 'Erste Fassung'], '2024-05-02T09:00:00+02:00');
  await git(dir, ['tag', '-a', 'v2.1.0', '-m', NOTES], '2024-05-03T14:30:00+02:00');
  return dir;
}

async function createSoftware(slug: string) {
  const response = await hub.app.inject({ method: 'POST', url: '/v1/software', headers: admin, payload: { name: slug, slug, organisationId: publisher.organisation.id } });
  expect(response.statusCode, response.body).toBe(201);
}

async function releasesOf(slug: string) {
  return (await hub.app.inject(`/v1/software/${slug}/releases`)).json().items;
}

/** `${{ context.name }}` from the contexts a step may use; anything else is a mistake in the template. */
function expressions(text: string, contexts: Record<string, Record<string, string>>): string {
  return text.replace(/\$\{\{\s*([\w-]+)\.([\w-]+)\s*\}\}/g, (whole, context: string, name: string) => {
    const value = contexts[context]?.[name];
    if (value === undefined) throw new Error(`the test gives no value for ${whole}`);
    return value;
  });
}

async function bash(script: string, cwd: string, env: Record<string, string>) {
  return new Promise<{ code: number; output: string }>((resolve) => {
    execFile('bash', ['-eo', 'pipefail', '-c', script], { cwd, env: { PATH: process.env.PATH, HOME: process.env.HOME ?? tmpdir(), ...env } }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? -1) : 0, output: `${stdout}${stderr}` }),
    );
  });
}

type Step = { run?: string; uses?: string; env?: Record<string, string>; shell?: string };

/** Runs the `run:` steps in order as a runner does (`uses:` steps, the checkout, are what the test prepared); stops at the first failure. */
async function runSteps(steps: Step[], options: { cwd: string; env: Record<string, string>; contexts: Record<string, Record<string, string>> }) {
  let output = '';
  for (const step of steps) {
    if (step.run === undefined) continue;
    // Expressions in a script would be injected into the shell: the templates pass them through env.
    expect(step.run, 'expressions in run:').not.toMatch(/\$\{\{/);
    const stepEnv = Object.fromEntries(Object.entries(step.env ?? {}).map(([name, value]) => [name, expressions(String(value), options.contexts)]));
    const result = await bash(step.run, options.cwd, { ...options.env, ...stepEnv });
    output += result.output;
    if (result.code !== 0) return { code: result.code, output };
  }
  return { code: 0, output };
}

describe('the integration files run as written', { timeout: 120_000 }, () => {
  it('the GitHub Action (composite) validates publiccode.yml and publishes the tag: 201, and 200 when the job runs again', async () => {
    await createSoftware('github-action');
    const action = await template('integrations/github/action.yml');
    expect(action.runs.using).toBe('composite');
    const inputs = Object.fromEntries(Object.entries(action.inputs as Record<string, { default?: string }>).map(([name, input]) => [name, input.default ?? '']));
    const checkout = await tagCheckout();
    const job = {
      cwd: checkout,
      env: {
        GITHUB_ACTIONS: 'true',
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_REPOSITORY: 'stadt-ulm/github-action',
        GITHUB_REF: 'refs/tags/v2.1.0',
        GITHUB_REF_NAME: 'v2.1.0',
        GITHUB_REF_TYPE: 'tag',
        GITHUB_ACTION_PATH: join(ROOT, 'integrations', 'github'),
      },
      contexts: { inputs: { ...inputs, 'hub-url': hubUrl, token: publisher.token, software: 'github-action', publiccode: 'publiccode.yml' } },
    };
    const first = await runSteps(action.runs.steps, job);
    expect(first.code, first.output).toBe(0);
    expect(first.output).toMatch(/publiccode\.yml: valid/);
    expect(first.output).toMatch(/2\.1\.0 published .*\(201\)/);
    const again = await runSteps(action.runs.steps, job);
    expect(again.code, again.output).toBe(0);
    expect(again.output).toMatch(/2\.1\.0 already published.*\(200\)/);
    expect(await releasesOf('github-action')).toEqual([
      expect.objectContaining({ version: '2.1.0', notes: NOTES, date: '2024-05-03T12:30:00.000Z', url: 'https://github.com/stadt-ulm/github-action/releases/tag/v2.1.0' }),
    ]);
  });

  it('the GitLab CI template: the release job publishes the tag twice without harm; the publiccode job writes a Code Quality report and fails on errors', async () => {
    await createSoftware('gitlab-template');
    const gitlab = await template('integrations/gitlab/transferhub.gitlab-ci.yml');
    const base = gitlab['.transferhub'];
    const release = gitlab['transferhub:release'];
    const publiccode = gitlab['transferhub:publiccode'];
    expect(release.extends).toBe('.transferhub');
    expect(release.rules).toEqual([{ if: '$CI_COMMIT_TAG' }]);
    expect(publiccode.artifacts.reports.codequality).toBe('gl-code-quality-report.json');
    const checkout = await tagCheckout();
    // The runner's cache restored the command into the project folder.
    await symlink(ROOT, join(checkout, gitlab.variables.TRANSFERHUB_CLI_DIR));
    const script = (job: { script: string[] }) => [...base.before_script, ...job.script].join('\n');
    const env = {
      ...gitlab.variables,
      GITLAB_CI: 'true',
      CI_COMMIT_TAG: 'v2.1.0',
      CI_PROJECT_URL: 'https://gitlab.opencode.de/ulm/gitlab-template',
      TRANSFERHUB_URL: hubUrl,
      TRANSFERHUB_TOKEN: publisher.token,
      TRANSFERHUB_SOFTWARE: 'gitlab-template',
    };
    const first = await bash(script(release), checkout, env);
    expect(first.code, first.output).toBe(0);
    expect(first.output).toMatch(/\(201\)/);
    const again = await bash(script(release), checkout, env);
    expect(again.code, again.output).toBe(0);
    expect(again.output).toMatch(/\(200\)/);
    expect(await releasesOf('gitlab-template')).toEqual([
      expect.objectContaining({ version: '2.1.0', notes: NOTES, url: 'https://gitlab.opencode.de/ulm/gitlab-template/-/releases/v2.1.0' }),
    ]);

    const valid = await bash(script(publiccode), checkout, env);
    expect(valid.code, valid.output).toBe(0);
    expect(JSON.parse(await readFile(join(checkout, 'gl-code-quality-report.json'), 'utf8'))).toEqual([]);
    await writeFile(join(checkout, 'publiccode.yml'), VALID_PUBLICCODE.replace('developmentStatus: stable', 'developmentStatus: fertig'));
    const invalid = await bash(script(publiccode), checkout, env);
    expect(invalid.code).toBe(1);
    expect(invalid.output).toMatch(/error \/ Fehler 9:1 developmentStatus/);
    const report = JSON.parse(await readFile(join(checkout, 'gl-code-quality-report.json'), 'utf8'));
    expect(report).toEqual([expect.objectContaining({ check_name: 'publiccode.yml:developmentStatus', location: { path: 'publiccode.yml', lines: { begin: 9 } } })]);
  });

  it('the Forgejo Actions example finds the software by its repository and publishes the tag, twice without harm', async () => {
    const checkout = await tagCheckout();
    // The repository registered on the hub: a closed loopback port, so its crawl fails at once and stays on the machine.
    const registered = await hub.app.inject({
      method: 'POST',
      url: '/v1/repositories',
      headers: { authorization: `Bearer ${publisher.token}` },
      payload: { url: 'http://127.0.0.1:9/ulm/forgejo-example', organisationId: publisher.organisation.id },
    });
    expect(registered.statusCode, registered.body).toBe(202);
    const workflow = await template('integrations/forgejo/transferhub.yml');
    expect(workflow.on.push.tags).toEqual(['v*']);
    const job = workflow.jobs.release;
    // The runner's cache holds the command beside the workspace.
    const contexts = { github: { workspace: checkout }, vars: { TRANSFERHUB_URL: hubUrl, TRANSFERHUB_CLI_REPOSITORY: 'unused: the command is installed' }, secrets: { TRANSFERHUB_TOKEN: publisher.token } };
    const jobEnv = Object.fromEntries(Object.entries(job.env as Record<string, string>).map(([name, value]) => [name, expressions(value, contexts)]));
    await symlink(ROOT, jobEnv.TRANSFERHUB_CLI_DIR!);
    const run = {
      cwd: checkout,
      env: {
        ...jobEnv,
        FORGEJO_ACTIONS: 'true',
        GITHUB_ACTIONS: 'true',
        FORGEJO_SERVER_URL: 'http://127.0.0.1:9',
        FORGEJO_REPOSITORY: 'ulm/forgejo-example',
        GITHUB_REF: 'refs/tags/v2.1.0',
        GITHUB_REF_NAME: 'v2.1.0',
        GITHUB_REF_TYPE: 'tag',
      },
      contexts,
    };
    const first = await runSteps(job.steps, run);
    expect(first.code, first.output).toBe(0);
    expect(first.output).toMatch(/\(201\)/);
    const again = await runSteps(job.steps, run);
    expect(again.code, again.output).toBe(0);
    expect(again.output).toMatch(/\(200\)/);
    const releases = await releasesOf(registered.json().softwareId);
    expect(releases).toEqual([expect.objectContaining({ version: '2.1.0', notes: NOTES, url: 'http://127.0.0.1:9/ulm/forgejo-example/releases/tag/v2.1.0' })]);
  });

  it('the installation commands of every template are valid shell', async () => {
    const action = await template('integrations/github/action.yml');
    const gitlab = await template('integrations/gitlab/transferhub.gitlab-ci.yml');
    const forgejo = await template('integrations/forgejo/transferhub.yml');
    const scripts = [
      ...(action.runs.steps as Step[]).map((step) => step.run),
      ...gitlab['.transferhub'].before_script,
      ...(forgejo.jobs.release.steps as Step[]).map((step) => step.run),
    ].filter((script): script is string => typeof script === 'string');
    for (const script of scripts) {
      const check = await bash(`bash -n <<'SCRIPT'\n${script}\nSCRIPT`, tmpdir(), {});
      expect(check.code, `${script}\n${check.output}`).toBe(0);
    }
  });
});
