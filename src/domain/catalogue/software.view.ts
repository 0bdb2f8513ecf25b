import type { SoftwareRow } from '../../db/queries/software.queries';

export type OrganisationRef = { id: string; slug: string; name: string };

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

export type ReleaseRef = { version: string; date: string | null };

/** latestPrerelease: see releases.service latestPrerelease (null for an entry just created). */
export function softwareDetail(row: SoftwareRow, organisation: OrganisationRef, latestPrerelease: ReleaseRef | null = null) {
  return {
    ...softwareSummary(row, organisation),
    latestPrerelease,
    publiccode: row.publiccodeRaw
      ? { raw: row.publiccodeRaw, parsed: row.publiccode, valid: row.publiccodeValid, results: row.publiccodeResults ?? [] }
      : null,
    readme: row.readmeMarkdown !== null ? { markdown: row.readmeMarkdown, html: row.readmeHtml } : null,
    forge: row.forge,
  };
}

export type SoftwareSummary = ReturnType<typeof softwareSummary>;
export type SoftwareDetail = ReturnType<typeof softwareDetail>;
