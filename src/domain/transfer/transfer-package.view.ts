import type { listTransferItems } from '../../db/queries/transfer-items.queries';
import { fileUrls } from '../crawl/host-urls';
import { TRANSFER_KIND_LABELS, TRANSFER_KINDS, type TransferKind } from './transfer-kinds';

type Joined = Awaited<ReturnType<typeof listTransferItems>>[number];

/** present out of applicable, and their ratio (1 when the owner declared every kind not applicable). */
export function completenessView(score: { present: number; applicable: number }) {
  const ratio = score.applicable === 0 ? 1 : score.present / score.applicable;
  return { present: score.present, applicable: score.applicable, completeness: Math.round(ratio * 1000) / 1000 };
}

/** A path item links to the file on its forge (at the default branch) where the forge serves files. */
function itemView({ item, repository }: Joined) {
  const href =
    item.url ??
    (item.path && repository
      ? fileUrls({ url: repository.url, hostKind: repository.hostKind, branch: repository.defaultBranch ?? 'HEAD', commit: 'HEAD' }).blob(item.path)
      : null);
  return {
    source: item.source,
    url: item.url,
    repository: repository ? { id: repository.id, url: repository.url } : null,
    path: item.path,
    email: item.email,
    href,
    origin: item.origin,
    language: item.language,
    lastCheckedOn: item.lastCheckedOn,
    updatedAt: item.updatedAt.toISOString(),
  };
}

export type TransferItemView = ReturnType<typeof itemView>;

/**
 * One line per kind, in the fixed order: the item that counts (a declaration wins over what the
 * crawler found), and what was discovered, so an owner sees what a declaration hides.
 */
export function transferPackageView(
  software: { id: string; slug: string; name: string },
  rows: Joined[],
  score: { present: number; applicable: number },
) {
  const kinds = TRANSFER_KINDS.map((kind: TransferKind) => {
    const mine = rows.filter((row) => row.item.kind === kind);
    const declared = mine.find((row) => row.item.source === 'declared') ?? null;
    const discovered = mine.filter((row) => row.item.source === 'discovered').map(itemView);
    const notApplicable = declared?.item.notApplicable === true;
    const item = notApplicable ? null : declared ? itemView(declared) : (discovered[0] ?? null);
    return {
      kind,
      label: TRANSFER_KIND_LABELS[kind],
      status: notApplicable ? ('not-applicable' as const) : item ? ('present' as const) : ('missing' as const),
      item,
      discovered,
    };
  });
  return { software, ...completenessView(score), kinds };
}
