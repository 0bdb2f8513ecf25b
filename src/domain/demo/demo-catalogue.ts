import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { insertAuditEvent } from '../../db/queries/audit.queries';
import { findOrganisation, findOrganisationByOfficialKey, insertOrganisation, slugTaken } from '../../db/queries/organisations.queries';
import { findRepositoryByUrl, insertRepository } from '../../db/queries/repositories.queries';
import { findSoftware, insertSoftware } from '../../db/queries/software.queries';
import type { Executor } from '../../db/client';
import { crawlRepositoryJob, crawlRequest } from '../../jobs/crawl-repository.job';
import type { OrganisationKind } from '../../db/schema/organisations';
import { guessHostKind, normaliseRepositoryUrl } from '../../lib/repository-url';
import { slugify, uniqueSlug } from '../../lib/slug';
import { checkSpdxExpression } from '../../metadata/spdx/spdx-expression';
import type { HubContext } from '../context';
import { packagePath } from '../../lib/package-root';
import { loadDemoTransferPackages } from './demo-transfer-packages';
import { loadKnowledgeTransferDemo } from './knowledge-transfer-demo';

const DEMO_DIR = `${packagePath('data', 'demo')}/`;
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
 * The demo entry's repository, registered once (as the hub, in the audit log) unless its URL is
 * known already or the entry with that slug is not the demo's (another repository URL). Returns
 * the new repository's id, to be queued after the transaction commits.
 */
async function registerDemoRepository(tx: Executor, entry: { id: string; organisationId: string; repositoryUrl: string | null }): Promise<string | null> {
  if (entry.repositoryUrl === null || (await findRepositoryByUrl(tx, entry.repositoryUrl))) return null;
  const repository = await insertRepository(tx, {
    url: entry.repositoryUrl,
    organisationId: entry.organisationId,
    softwareId: entry.id,
    hostKind: guessHostKind(entry.repositoryUrl),
    crawlState: 'queued',
  });
  await insertAuditEvent(tx, { ...ACTOR, action: 'repository.register', entityType: 'repository', entityId: repository.id, detail: { url: repository.url } });
  return repository.id;
}

/**
 * Loads the 73 MPSC organisations and the sample software with its real repository URLs, and
 * queues the first crawl of each repository it registers (HUB_DEMO_CRAWL). Idempotent: entries
 * and repositories that exist (same official key, slug or URL) are left as they are, so a restart
 * or a second `npm run demo:load` adds and queues nothing; an installation loaded before the
 * repositories existed gets them once.
 */
export async function loadDemoCatalogue(hub: HubContext): Promise<{ organisations: number; software: number; repositories: number }> {
  let organisations = 0;
  let software = 0;
  const registered: string[] = [];
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
        // A cooperation across states ("Hamburg; Sachsen; Bayern") has no one state: its member keys say each.
        state: row.state && !row.state.includes(';') ? row.state : null,
        programme: 'MPSC',
        cohortYear: Number(row.cohort_year) || null,
      });
      orgIdByName.set(row.name, created.id);
      await insertAuditEvent(tx, { ...ACTOR, action: 'organisation.create', entityType: 'organisation', entityId: created.id });
      organisations++;
    }

    const categoriesBySoftware = new Map(readCsv<{ software: string; categories: string }>('categories.csv').map((r) => [r.software, r.categories.split(';')]));
    const publisherStates = new Map(readCsv<{ publisher: string; state: string }>('publishers.csv').map((r) => [r.publisher, r.state]));
    for (const row of readCsv<SoftwareRow>('mpsc-software.csv')) {
      const slug = slugify(row.name);
      const repositoryUrl = normaliseRepositoryUrl(row.repository_url);
      const existing = await findSoftware(tx, { slug });
      if (existing) {
        const repositoryId = existing.repositoryUrl === repositoryUrl ? await registerDemoRepository(tx, existing) : null;
        if (repositoryId) registered.push(repositoryId);
        continue;
      }
      const publisher = publisherName(row.organisation);
      // "Stadt Ulm" publishes for the MPSC "Ulm": reuse that organisation rather than a twin.
      const mpscName = [...orgIdByName.keys()].find((name) => publisher.replace(/^(Stadt|Landeshauptstadt) /, '') === name);
      let organisationId = mpscName ? orgIdByName.get(mpscName) : undefined;
      if (!organisationId) {
        const publisherSlug = slugify(publisher);
        const existingPublisher = await findOrganisation(tx, { slug: publisherSlug });
        organisationId =
          existingPublisher?.id ??
          (await insertOrganisation(tx, { slug: publisherSlug, name: publisher, kind: publisherKind(publisher), state: publisherStates.get(publisher) ?? null })).id;
      }
      const licence = checkSpdxExpression(row.licence_spdx);
      const created = await insertSoftware(tx, {
        slug,
        name: row.name,
        organisationId,
        shortDescriptionDe: shortOf(row.description_de_or_en),
        longDescriptionDe: row.description_de_or_en,
        licence: licence.valid ? (licence.normalised ?? row.licence_spdx) : null,
        categories: categoriesBySoftware.get(row.name) ?? [],
        repositoryUrl,
      });
      await insertAuditEvent(tx, { ...ACTOR, action: 'software.create', entityType: 'software', entityId: created.id });
      software++;
      const repositoryId = await registerDemoRepository(tx, created);
      if (repositoryId) registered.push(repositoryId);
    }
    await loadDemoTransferPackages(tx);
  });
  // After the commit: a job must find its repository. Without HUB_DEMO_CRAWL they wait for the
  // scheduled refresh or a manual one.
  if (hub.config.demoCrawl) {
    for (const repositoryId of registered) await hub.queue.enqueue(crawlRepositoryJob, crawlRequest(repositoryId, 'registered'));
  }
  hub.logger.info({ organisations, software, repositories: registered.length, crawlsQueued: hub.config.demoCrawl ? registered.length : 0 }, 'demo catalogue loaded');
  // Reuses, experience reports and needs on top of the entries (it logs its own counts).
  await loadKnowledgeTransferDemo(hub);
  return { organisations, software, repositories: registered.length };
}
