import { readFileSync } from 'node:fs';
import type { Executor } from '../../db/client';
import { insertAuditEvent } from '../../db/queries/audit.queries';
import { insertExperienceReport } from '../../db/queries/experience-reports.queries';
import { insertNeed, insertSupporter, listNeeds } from '../../db/queries/needs.queries';
import { findOrganisation } from '../../db/queries/organisations.queries';
import { findReuse, insertReuse, insertReuseEvent, updateReuse } from '../../db/queries/reuses.queries';
import { findSoftware } from '../../db/queries/software.queries';
import type { CostBand, HostingKind } from '../../db/schema/experience-reports';
import type { BudgetBand } from '../../db/schema/needs';
import type { ReuseStatus } from '../../db/schema/reuses';
import { slugify } from '../../lib/slug';
import type { HubContext } from '../context';
import { matchNeed } from '../needs/need-matching';
import { renderReportMarkdown } from '../reuse/markdown';
import { packagePath } from '../../lib/package-root';

const FILE = packagePath('data', 'demo', 'knowledge-transfer.json');
const ACTOR = { tokenId: null, actor: 'system (demo catalogue)' };

type DemoReuse = { software: string; organisation: string; status: ReuseStatus; since?: string; versionInUse?: string; confirmed?: boolean };
type DemoReport = {
  software: string;
  organisation: string;
  effortPersonDays?: number;
  weeksToGoLive?: number;
  runningCostBand?: CostBand;
  hosting?: HostingKind;
  adaptations?: string;
  whatWorked?: string;
  whatDidNotWork?: string;
  recommendation: number;
  version?: string;
  contact?: string;
  showContact?: boolean;
};
type DemoNeed = { organisation: string; title: string; description: string; categories: string[]; deadline?: string; budgetBand?: BudgetBand; supporters: string[] };
type DemoFile = { reuses: DemoReuse[]; experienceReports: DemoReport[]; needs: DemoNeed[] };

const orgId = async (tx: Executor, name: string) => (await findOrganisation(tx, { slug: slugify(name) }))?.id ?? null;
const softwareOf = async (tx: Executor, name: string) => findSoftware(tx, { slug: slugify(name) });

/**
 * The demo's knowledge-transfer data (data/demo/knowledge-transfer.json, marked as demo data):
 * reuse records (some confirmed by the producer), experience reports in German and two needs.
 * Idempotent: a reuse that exists is left alone and only new reuses get their reports; a need
 * whose organisation posted one with the same title exists already. Entries the catalogue lacks
 * are skipped. New needs are matched at once, so the first start shows their matches.
 */
export async function loadKnowledgeTransferDemo(hub: HubContext) {
  const demo = JSON.parse(readFileSync(FILE, 'utf8')) as DemoFile;
  let reuses = 0;
  let reports = 0;
  const newNeeds: string[] = [];
  await hub.db.transaction(async (tx) => {
    const created = new Map<string, { reuseId: string; softwareId: string; organisationId: string }>();
    for (const entry of demo.reuses) {
      const [software, organisationId] = [await softwareOf(tx, entry.software), await orgId(tx, entry.organisation)];
      if (!software || !organisationId || (await findReuse(tx, { softwareId: software.id, organisationId }))) continue;
      const { id } = await insertReuse(tx, {
        softwareId: software.id,
        organisationId,
        status: entry.status,
        since: entry.since ?? null,
        versionInUse: entry.versionInUse ?? null,
        notes: '[Demodaten] Beispiel einer Nachnutzung für die Demo.',
      });
      await insertReuseEvent(tx, { reuseId: id, kind: 'recorded', status: entry.status, actor: 'reusing organisation' });
      if (entry.confirmed) {
        await updateReuse(tx, id, { verification: 'confirmed', verifiedBy: 'producer', verifiedAt: new Date() });
        await insertReuseEvent(tx, { reuseId: id, kind: 'confirmed', status: entry.status, actor: 'producer' });
      }
      await insertAuditEvent(tx, { ...ACTOR, action: 'reuse.record', entityType: 'reuse', entityId: id, detail: { demo: true } });
      created.set(`${entry.software}|${entry.organisation}`, { reuseId: id, softwareId: software.id, organisationId });
      reuses++;
    }
    for (const report of demo.experienceReports) {
      const reuse = created.get(`${report.software}|${report.organisation}`);
      if (!reuse) continue;
      const { id } = await insertExperienceReport(tx, {
        ...reuse,
        effortPersonDays: report.effortPersonDays ?? null,
        weeksToGoLive: report.weeksToGoLive ?? null,
        runningCostBand: report.runningCostBand ?? null,
        hosting: report.hosting ?? null,
        adaptations: report.adaptations ?? null,
        whatWorkedMarkdown: report.whatWorked ?? null,
        whatWorkedHtml: renderReportMarkdown(report.whatWorked),
        whatDidNotWorkMarkdown: report.whatDidNotWork ?? null,
        whatDidNotWorkHtml: renderReportMarkdown(report.whatDidNotWork),
        recommendation: report.recommendation,
        version: report.version ?? null,
        contact: report.contact ?? null,
        contactPublic: report.showContact === true,
      });
      await insertAuditEvent(tx, { ...ACTOR, action: 'experience_report.write', entityType: 'experience_report', entityId: id, detail: { demo: true } });
      reports++;
    }
    for (const need of demo.needs) {
      const organisationId = await orgId(tx, need.organisation);
      if (!organisationId) continue;
      const existing = await listNeeds(tx, { organisationIds: [organisationId], limit: 100 });
      if (existing.some((row) => row.need.title === need.title && row.need.organisationId === organisationId)) continue;
      const { id } = await insertNeed(tx, {
        organisationId,
        title: need.title,
        description: need.description,
        categories: need.categories,
        deadline: need.deadline ?? null,
        budgetBand: need.budgetBand ?? null,
      });
      for (const supporter of need.supporters) {
        const supporterId = await orgId(tx, supporter);
        if (supporterId) await insertSupporter(tx, { needId: id, organisationId: supporterId });
      }
      await insertAuditEvent(tx, { ...ACTOR, action: 'need.post', entityType: 'need', entityId: id, detail: { demo: true } });
      newNeeds.push(id);
    }
  });
  for (const id of newNeeds) await matchNeed(hub, id);
  hub.logger.info({ reuses, reports, needs: newNeeds.length }, 'demo knowledge-transfer data loaded');
  return { reuses, experienceReports: reports, needs: newNeeds.length };
}
