import type { RepositoryRow } from '../../db/queries/repositories.queries';
import type { SoftwareRow } from '../../db/queries/software.queries';
import type { PubliccodeModel } from '../../metadata/publiccode/types';
import { pauseView } from '../crawl/repository.view';
import { completenessView } from '../transfer/transfer-package.view';
import type { DetailReuseCounts } from '../reuse/reuse-counts';
import type { Provenance } from '../federation/provenance';

/** The publishing organisation as an entry names it, with where that organisation comes from (a local entry may name a mirrored one). */
export type OrganisationRef = { id: string; slug: string; name: string; provenance: Provenance };

/** The list shape: what a result list shows, without README and raw publiccode.yml. */
export function softwareSummary(row: SoftwareRow, organisation: OrganisationRef) {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    organisation,
    description: {
      de: { short: row.shortDescriptionDe, long: row.longDescriptionDe },
      en: { short: row.shortDescriptionEn, long: row.longDescriptionEn },
    },
    categories: row.categories,
    features: row.features,
    licence: row.licence,
    developmentStatus: row.developmentStatus,
    maintenanceType: row.maintenanceType,
    repositoryUrl: row.repositoryUrl,
    latestRelease: row.latestReleaseVersion
      ? { version: row.latestReleaseVersion, date: row.latestReleaseAt?.toISOString() ?? null }
      : null,
    publiccodeValid: row.publiccodeValid,
    active: row.active,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** What a detail shows besides the row: the repositories feeding it and its reuse counts. */
export type SoftwareDetailExtras = {
  repositories: RepositoryRow[];
  reuseCounts: DetailReuseCounts;
  /** See releases.service latestPrerelease (null for an entry just created). */
  latestPrerelease?: ReleaseRef | null;
  /** Transfer-package kinds present out of those that apply (view transfer_package_score). */
  transfer: { present: number; applicable: number };
};

export type ReleaseRef = { version: string; date: string | null };

export function softwareDetail(row: SoftwareRow, organisation: OrganisationRef, extras: SoftwareDetailExtras) {
  // The repository the entry names (its repositoryUrl) speaks for the crawl state; else the first.
  const primary = extras.repositories.find((r) => r.url === row.repositoryUrl) ?? extras.repositories[0] ?? null;
  // Stored as the validator's model (publiccode.ts); an older row may lack the section.
  const maintenance = (row.publiccode as Partial<PubliccodeModel> | null)?.maintenance;
  return {
    ...softwareSummary(row, organisation),
    latestPrerelease: extras.latestPrerelease ?? null,
    listed: row.listed,
    crawlState: primary?.crawlState ?? null,
    repositories: extras.repositories.map((r) => ({
      id: r.id,
      url: r.url,
      crawlState: r.crawlState,
      lastSuccessAt: r.lastSuccessAt?.toISOString() ?? null,
      lastError: r.lastError,
      paused: pauseView(r),
    })),
    transferPackage: completenessView(extras.transfer),
    reuseCounts: extras.reuseCounts,
    maintainers: maintenance ? { type: maintenance.type, contacts: maintenance.contacts, contractors: maintenance.contractors } : null,
    publiccode: row.publiccodeRaw
      ? { raw: row.publiccodeRaw, parsed: row.publiccode, valid: row.publiccodeValid, results: row.publiccodeResults ?? [] }
      : null,
    readme: row.readmeMarkdown !== null ? { markdown: row.readmeMarkdown, html: row.readmeHtml } : null,
    forge: row.forge,
  };
}

export type SoftwareSummary = ReturnType<typeof softwareSummary>;
export type SoftwareDetail = ReturnType<typeof softwareDetail>;
