import { readFileSync } from 'node:fs';
import type { Executor } from '../../db/client';
import { insertAuditEvent } from '../../db/queries/audit.queries';
import { findSoftware } from '../../db/queries/software.queries';
import { listTransferItems, upsertDeclaredItem } from '../../db/queries/transfer-items.queries';
import { isWebUrl } from '../../lib/web-url';
import { isTransferKind } from '../transfer/transfer-kinds';
import { packagePath } from '../../lib/package-root';

const FILE = packagePath('data', 'demo', 'transfer-packages.json');
const ACTOR = { tokenId: null, actor: 'system (demo catalogue)' };
/** Every demo item says so on the page (the item's origin). */
const ORIGIN = 'demo data';

type DemoItem = { kind: string; url?: string; notApplicable?: boolean; language?: string };
type DemoFile = { packages: { software: string; items: DemoItem[] }[] };

/**
 * The demo catalogue's partial transfer packages (data/demo/transfer-packages.json), declared
 * as the hub. Idempotent: a kind the entry already declares (the demo's, or the owner's since)
 * is left as it is, and an entry missing from the catalogue is skipped.
 */
export async function loadDemoTransferPackages(tx: Executor): Promise<number> {
  const file = JSON.parse(readFileSync(FILE, 'utf8')) as DemoFile;
  let items = 0;
  for (const pkg of file.packages) {
    const software = await findSoftware(tx, { slug: pkg.software });
    if (!software) continue;
    const declared = new Set((await listTransferItems(tx, software.id)).filter((row) => row.item.source === 'declared').map((row) => row.item.kind));
    for (const item of pkg.items) {
      if (!isTransferKind(item.kind) || declared.has(item.kind)) continue;
      if (!item.notApplicable && !(item.url && isWebUrl(item.url))) continue;
      const stored = await upsertDeclaredItem(tx, {
        softwareId: software.id,
        kind: item.kind,
        notApplicable: item.notApplicable === true,
        url: item.notApplicable ? null : item.url!,
        language: item.language ?? null,
        origin: ORIGIN,
        lastCheckedOn: item.notApplicable ? null : new Date().toISOString().slice(0, 10),
      });
      await insertAuditEvent(tx, { ...ACTOR, action: 'transfer-item.set', entityType: 'software', entityId: software.id, detail: { kind: item.kind, itemId: stored.id, demo: true } });
      items++;
    }
  }
  return items;
}
