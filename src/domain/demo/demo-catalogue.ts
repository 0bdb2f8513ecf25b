import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { insertAuditEvent } from '../../db/queries/audit.queries';
import { findOrganisation, findOrganisationByOfficialKey, insertOrganisation, slugTaken } from '../../db/queries/organisations.queries';
import { insertSoftware, softwareSlugTaken } from '../../db/queries/software.queries';
import type { OrganisationKind } from '../../db/schema/organisations';
import { normaliseRepositoryUrl } from '../../lib/repository-url';
import { slugify, uniqueSlug } from '../../lib/slug';
import { checkSpdxExpression } from '../../metadata/spdx/spdx-expression';
import type { HubContext } from '../context';

const DEMO_DIR = fileURLToPath(new URL('../../../data/demo/', import.meta.url));
const ACTOR = { tokenId: null, actor: 'system (demo catalogue)' };

type MunicipalityRow = { name: string; type: string; state: string; cohort_year: string; ags_or_ars: string };
type SoftwareRow = { name: string; description_de_or_en: string; repository_url: string; licence_spdx: string; organisation: string };

const KIND_BY_TYPE: Record<string, OrganisationKind> = {
  Stadt: 'municipality',
  Gemeinde: 'municipality',
  Landkreis: 'county',
  Gemeindeverband: 'municipal_association',
  'interkommunale Kooperation': 'municipal_association',
  Regionalverband: 'regional_association',
};

function readCsv<T>(file: string): T[] {
  return parse(readFileSync(DEMO_DIR + file), { columns: true, skip_empty_lines: true, trim: true }) as T[];
}

/** "Stadt Ulm (Digitale Agenda) mit ILEU e.V." → "Stadt Ulm": the publisher before any remark. */
function publisherName(text: string): string {
  return text.split(/[(;,]| mit | \/ /)[0]!.trim();
}

function publisherKind(name: string): OrganisationKind {
  if (/\b(GmbH|KG|AG|e\.V\.|UG)\b/.test(name) || /GitHub-Organisation/.test(name)) return 'company';
  if (/^(Stadt|Landeshauptstadt|Freie und Hansestadt|Gemeinde)\b/.test(name)) return 'municipality';
  return 'other';
}

/** First sentence, at most 150 characters (publiccode.yml's limit for shortDescription). */
function shortOf(text: string): string {
  // A sentence ends after a word of three or more letters: "u. a." and "z. B." do not end one.
  const sentence = text.split(/(?<=\p{L}{3}[.;])\s/u)[0] ?? text;
  return sentence.length <= 150 ? sentence : `${sentence.slice(0, 147).replace(/\s+\S*$/, '')} …`;
}

/**
 * Loads the 73 MPSC organisations and the sample software. Idempotent: entries that
 * exist (same official key or slug) are left as they are, so a restart or a second
 * `npm run demo:load` changes nothing.
 */
export async function loadDemoCatalogue(hub: HubContext): Promise<{ organisations: number; software: number }> {
  let organisations = 0;
  let software = 0;
  await hub.db.transaction(async (tx) => {
    const orgIdByName = new Map<string, string>();
    for (const row of readCsv<MunicipalityRow>('mpsc-municipalities.csv')) {
      const keys = row.ags_or_ars ? row.ags_or_ars.split(';').map((k) => k.trim()) : [];
      const officialKey = keys.length === 1 ? keys[0]! : null;
      const slug = slugify(row.name);
      const existing = officialKey
        ? await findOrganisationByOfficialKey(tx, officialKey)
        : await findOrganisation(tx, { slug });
      if (existing) {
        orgIdByName.set(row.name, existing.id);
        continue;
      }
      const created = await insertOrganisation(tx, {
        slug: await uniqueSlug(slug, (s) => slugTaken(tx, s)),
        name: row.name,
        kind: KIND_BY_TYPE[row.type] ?? 'other',
        officialKey,
        memberKeys: keys.length > 1 ? keys : [],
        state: row.state || null,
        programme: 'MPSC',
        cohortYear: Number(row.cohort_year) || null,
      });
      orgIdByName.set(row.name, created.id);
      await insertAuditEvent(tx, { ...ACTOR, action: 'organisation.create', entityType: 'organisation', entityId: created.id });
      organisations++;
    }

    for (const row of readCsv<SoftwareRow>('mpsc-software.csv')) {
      const slug = slugify(row.name);
      if (await softwareSlugTaken(tx, slug)) continue;
      const publisher = publisherName(row.organisation);
      // "Stadt Ulm" publishes for the MPSC "Ulm": reuse that organisation rather than a twin.
      const mpscName = [...orgIdByName.keys()].find((name) => publisher.replace(/^(Stadt|Landeshauptstadt) /, '') === name);
      let organisationId = mpscName ? orgIdByName.get(mpscName) : undefined;
      if (!organisationId) {
        const publisherSlug = slugify(publisher);
        const existing = await findOrganisation(tx, { slug: publisherSlug });
        organisationId =
          existing?.id ??
          (await insertOrganisation(tx, { slug: publisherSlug, name: publisher, kind: publisherKind(publisher) })).id;
      }
      const licence = checkSpdxExpression(row.licence_spdx);
      const created = await insertSoftware(tx, {
        slug,
        name: row.name,
        organisationId,
        shortDescriptionDe: shortOf(row.description_de_or_en),
        longDescriptionDe: row.description_de_or_en,
        licence: licence.valid ? (licence.normalised ?? row.licence_spdx) : null,
        repositoryUrl: normaliseRepositoryUrl(row.repository_url),
      });
      await insertAuditEvent(tx, { ...ACTOR, action: 'software.create', entityType: 'software', entityId: created.id });
      software++;
    }
  });
  hub.logger.info({ organisations, software }, 'demo catalogue loaded');
  return { organisations, software };
}
