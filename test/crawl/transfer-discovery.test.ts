import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crawlRepository } from '../../src/domain/crawl/crawl.service';
import type { InProcessQueue } from '../../src/jobs/in-process-queue';
import { startGitServer, type GitServer } from '../helpers/git-server';
import { bearer, createTestHub, organisationWithToken, type TestHub } from '../helpers/hub';
import { MIT, register, VALID_PUBLICCODE } from './crawl-fixtures';

let hub: TestHub;
let server: GitServer;
let owner: { organisation: { id: string }; token: string };

beforeAll(async () => {
  server = await startGitServer();
  hub = await createTestHub();
  owner = await organisationWithToken(hub.app, ['publish']);
});
afterAll(async () => {
  await hub?.close();
  await server?.close();
});

type Item = { source: string; path: string | null; url: string | null; email: string | null; origin: string | null; language: string | null; lastCheckedOn: string | null };
type Package = { present: number; applicable: number; kinds: { kind: string; status: string; item: Item | null; discovered: Item[] }[] };

const idle = () => (hub.deps.hub.queue as InProcessQueue).idle();
const getPackage = async (id: string) => (await hub.app.inject(`/v1/software/${id}/transfer-package`)).json() as Package;
const kind = (pkg: Package, name: string) => pkg.kinds.find((k) => k.kind === name)!;
const job = () => ({ attempt: 1, maxAttempts: 5, signal: AbortSignal.timeout(20_000), updateProgress: async () => {} });

const PUBLICCODE = VALID_PUBLICCODE.replace(
  '    features:\n',
  '    documentation: "https://doku.example.org/maengelmelder"\n    apiDocumentation: "javascript:alert(1)"\n    features:\n',
).replace('    - name: Stadt Ulm\n', '    - name: Stadt Ulm\n      email: nachnutzung@ulm.example\n');

describe('discovering transfer-package items in a repository', { timeout: 60_000 }, () => {
  it('finds documents by well-known paths and publiccode.yml keys, tells them from declared items, and forgets removed files', async () => {
    const git = await server.createRepo('stadt-ulm/paket', {
      'README.md': '# Mängelmelder\n',
      LICENSE: MIT,
      'publiccode.yml': PUBLICCODE,
      'SECURITY.md': 'Bitte an sicherheit@ulm.example melden.',
      INSTALL: 'npm ci',
      'install.sh': '#!/bin/sh',
      'requirements.txt': 'flask',
      'docs/betrieb/handbuch.md': '# Betrieb',
      'docs/datenschutz/vvt.md': '# VVT',
      'docs/datenschutz/dsfa.md': '# DSFA',
      'docs/Barrierefreiheit.md': '# Erklärung',
      'src/security.ts': 'export {};',
    });
    const repo = await register(hub.app, server.repoUrl('stadt-ulm/paket'), owner.organisation.id);
    await idle();
    const pkg = await getPackage(repo.softwareId);
    const found = pkg.kinds.flatMap((k) => k.discovered.map((item) => [k.kind, item.path ?? item.url ?? item.email]));
    expect(found).toEqual([
      ['installation-guide', 'INSTALL'],
      ['operations-manual', 'docs/betrieb'],
      ['operations-manual', 'https://doku.example.org/maengelmelder'],
      ['data-protection', 'docs/datenschutz'],
      ['accessibility-statement', 'docs/Barrierefreiheit.md'],
      ['security-contact', 'SECURITY.md'],
      ['reuse-contact', 'nachnutzung@ulm.example'],
    ]);
    expect(kind(pkg, 'operations-manual').discovered[1]).toMatchObject({
      source: 'discovered',
      origin: 'publiccode.yml: description.de.documentation',
      language: 'de',
      lastCheckedOn: new Date().toISOString().slice(0, 10),
    });
    expect(pkg).toMatchObject({ present: 6, applicable: 11 });

    // The owner's declaration wins over the discovered folder; the folder stays visible beside it.
    const declared = await hub.app.inject({
      method: 'PUT',
      url: `/v1/software/${repo.softwareId}/transfer-package/operations-manual`,
      headers: bearer(owner.token),
      payload: { path: 'docs/betrieb/handbuch.md', language: 'de' },
    });
    expect(declared.statusCode, declared.body).toBe(200);
    expect(kind(declared.json(), 'operations-manual')).toMatchObject({ status: 'present', item: { source: 'declared', path: 'docs/betrieb/handbuch.md' } });
    expect(kind(declared.json(), 'operations-manual').discovered).toHaveLength(2);

    // A file removed from the repository leaves the package at the next crawl; the declaration stays.
    await rm(join(git.workDir, 'SECURITY.md'));
    await git.commit({}, 'Sicherheitsrichtlinie entfernt');
    await git.push();
    expect(await crawlRepository(hub.deps.hub, repo.id, job())).toBe('succeeded');
    const after = await getPackage(repo.softwareId);
    expect(kind(after, 'security-contact').status).toBe('missing');
    expect(kind(after, 'operations-manual').item).toMatchObject({ source: 'declared' });
    expect(after.present).toBe(5);
    const detail = (await hub.app.inject(`/v1/software/${repo.softwareId}`)).json();
    expect(detail.transferPackage).toEqual({ present: 5, applicable: 11, completeness: 0.455 });
  });
});
