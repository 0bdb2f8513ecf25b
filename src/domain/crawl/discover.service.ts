import { findOrganisation } from '../../db/queries/organisations.queries';
import { giteaHasFile, giteaListRepos } from '../../git/forges/gitea';
import { githubHasFile, githubListRepos } from '../../git/forges/github';
import { gitlabHasFile, gitlabListRepos } from '../../git/forges/gitlab';
import type { ForgeListedRepo } from '../../git/forges/types';
import { assertPublicHost } from '../../git/host-guard';
import { PermanentJobError } from '../../jobs/contract';
import type { HubContext } from '../context';
import { registerDiscoveredRepository } from './registration';
import { outboundOf } from './outbound-of';

const PUBLICCODE_NAMES = ['publiccode.yml', 'publiccode.yaml'];

/**
 * Lists the repositories of every code-hosting account of an organisation (GitHub
 * organisation or user, GitLab group with subgroups, Gitea/Forgejo organisation) and
 * registers each public, non-archived one; with onlyWithPubliccode, only those carrying
 * a publiccode.yml. Plain git accounts have no listing API and are skipped.
 */
export async function discoverOrganisation(
  ctx: HubContext,
  input: { organisationId: string; onlyWithPubliccode: boolean; signal?: AbortSignal },
): Promise<{ found: number; registered: number }> {
  const organisation = await findOrganisation(ctx.db, { id: input.organisationId });
  if (!organisation) throw new PermanentJobError(`organisation ${input.organisationId} does not exist`);
  let found = 0;
  let registered = 0;
  for (const account of organisation.codeHosting) {
    if (account.kind === 'git') continue;
    const origin = new URL(account.url).origin;
    if (account.kind !== 'github') await assertPublicHost(account.url, ctx.config.allowPrivateHosts);
    const github = { baseUrl: ctx.config.githubApiUrl, token: ctx.config.githubToken, signal: input.signal };
    const other = { origin, token: account.kind === 'gitlab' && new URL(origin).hostname === 'gitlab.com' ? ctx.config.gitlabToken : null, signal: input.signal, outbound: outboundOf(ctx) };
    const repos: ForgeListedRepo[] =
      account.kind === 'github'
        ? await githubListRepos(github, account.url)
        : account.kind === 'gitlab'
          ? await gitlabListRepos(other, account.url)
          : await giteaListRepos(other, account.url);
    for (const repo of repos) {
      if (repo.private || repo.archived) continue;
      found += 1;
      if (input.onlyWithPubliccode) {
        let has = false;
        for (const name of PUBLICCODE_NAMES) {
          has ||=
            account.kind === 'github'
              ? await githubHasFile(github, repo.url, name)
              : account.kind === 'gitlab'
                ? await gitlabHasFile(other, repo.url, name, repo.defaultBranch)
                : await giteaHasFile(other, repo.url, name);
          if (has) break;
        }
        if (!has) continue;
      }
      const result = await registerDiscoveredRepository(ctx, { organisationId: organisation.id, url: repo.url, hostKind: account.kind });
      if (result.created) registered += 1;
    }
  }
  ctx.logger.info({ organisationId: organisation.id, found, registered }, 'organisation discovered');
  return { found, registered };
}
