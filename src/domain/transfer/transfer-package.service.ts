import type { Db, Executor, Tx } from '../../db/client';
import { listRepositoriesOfSoftware } from '../../db/queries/repositories.queries';
import type { SoftwareRow } from '../../db/queries/software.queries';
import { deleteDeclaredItem, listTransferItems, transferItemsRead, transferScore, upsertDeclaredItem, type TransferItemWithRepository } from '../../db/queries/transfer-items.queries';
import type { JsonRead } from '../../db/json-read';
import { AppError } from '../../lib/errors';
import { normaliseRepositoryUrl } from '../../lib/repository-url';
import { isSafeLink, isWebUrl } from '../../lib/web-url';
import { audit } from '../audit/audit';
import { requireScopeFor, type Principal } from '../auth/principal';
import { getSoftwareRow, softwareOf, type SoftwareRef } from '../catalogue/software-lookup';

import { CONTACT_KINDS, TRANSFER_KINDS, type TransferKind } from './transfer-kinds';
import { transferPackageView } from './transfer-package.view';

/** Kinds present out of the kinds that apply (transfer_package_score). */
type TransferScore = { present: number; applicable: number };

/** What the owner sends for one kind: exactly one of url, path (in a registered repository) or email, or notApplicable. */
export type TransferItemInput = {
  url?: string;
  repository?: string;
  path?: string;
  email?: string;
  notApplicable?: boolean;
  language?: string | null;
  lastCheckedOn?: string | null;
};

class TransferItemRefused extends AppError {
  constructor(code: string, detail: string, field: string, message: string) {
    super(400, `transfer-package.${code}`, 'Bad request', detail, [{ field, message }]);
  }
}

export class TransferItemNotDeclared extends AppError {
  constructor(kind: string) {
    super(404, 'transfer-package.not-declared', 'Not found', `No item of kind "${kind}" was declared for this software; discovered items are changed by the crawl, not through the API.`);
  }
}

/**
 * Items, then score, one statement after the other: after a change `db` is the transaction, one
 * connection, and pg refuses to queue statements on one (PGlite can wait for ever).
 */
async function packageInTransaction(tx: Tx, software: Pick<SoftwareRow, 'id' | 'slug' | 'name'>) {
  const rows = await listTransferItems(tx, software.id);
  const score = await transferScore(tx, software.id, TRANSFER_KINDS.length);
  return transferPackageView({ id: software.id, slug: software.slug, name: software.name }, rows, score);
}

/** The package's items (placeholder softwareId) as a read that travels with the software page's other lists; transferPackageOf makes the package. */
export const transferItemsOfSoftwareRead: JsonRead<TransferItemWithRepository[]> = transferItemsRead;

/** The package from items read already and the completeness (transfer_package_score) the software detail carries. */
export function transferPackageOf(software: Pick<SoftwareRow, 'id' | 'slug' | 'name'>, rows: TransferItemWithRepository[], score: TransferScore) {
  return transferPackageView({ id: software.id, slug: software.slug, name: software.name }, rows, score);
}

/** score: the completeness when the caller read it already (the software detail carries it). */
export async function getTransferPackage(db: Db, ref: SoftwareRef, known?: TransferScore | Promise<TransferScore>) {
  const software = await softwareOf(db, ref);
  // On the pool each read takes a connection of its own: one round.
  const [rows, score] = await Promise.all([listTransferItems(db, software.id), known ?? transferScore(db, software.id, TRANSFER_KINDS.length)]);
  return transferPackageView({ id: software.id, slug: software.slug, name: software.name }, rows, score);
}

/** A path inside a repository: relative, no `..`, no scheme, no backslashes or control characters. */
function isRepositoryPath(path: string): boolean {
  if (!isSafeLink(path) || isWebUrl(path) || path.startsWith('/') || path.includes('\\')) return false;
  return path.split('/').every((part) => part !== '..' && part !== '.' && part !== '');
}

/** The registered repository of this software a path names (by id or URL; the only one when there is one). */
async function repositoryFor(db: Executor, softwareId: string, requested: string | undefined) {
  const registered = await listRepositoriesOfSoftware(db, softwareId);
  if (requested === undefined) {
    if (registered.length === 1) return registered[0]!;
    throw new TransferItemRefused(
      'repository-required',
      registered.length === 0
        ? 'A path names a file in a repository registered for this software, and none is registered; give a url instead.'
        : 'This software has several repositories; name the one the path is in.',
      '/repository',
      'required with path',
    );
  }
  let url: string | null = null;
  try {
    url = normaliseRepositoryUrl(requested);
  } catch {
    url = null;
  }
  const found = registered.find((r) => r.id === requested.toLowerCase() || r.url === url);
  if (!found) {
    throw new TransferItemRefused('repository-not-registered', `"${requested}" is not a repository registered for this software.`, '/repository', 'not registered for this software');
  }
  return found;
}

function checkTarget(kind: TransferKind, input: TransferItemInput) {
  const targets = [input.url, input.path, input.email].filter((value) => value !== undefined).length;
  if (input.notApplicable === true) {
    if (targets > 0) throw new TransferItemRefused('target-conflict', 'An item that does not apply has no link, path or mailbox.', '/notApplicable', 'not with url, path or email');
    return;
  }
  if (targets !== 1) {
    throw new TransferItemRefused('target-required', 'Give exactly one of url, path (with repository) or email, or notApplicable: true.', '/', 'exactly one of url, path, email');
  }
  if (input.repository !== undefined && input.path === undefined) {
    throw new TransferItemRefused('target-conflict', 'repository names where a path is; give a path with it.', '/repository', 'only with path');
  }
  if (input.email !== undefined && !CONTACT_KINDS.includes(kind)) {
    throw new TransferItemRefused('email-not-for-kind', `A mailbox stands for a contact; "${kind}" needs a link or a path.`, '/email', `only for ${CONTACT_KINDS.join(', ')}`);
  }
  if (input.path !== undefined && !isRepositoryPath(input.path)) {
    throw new TransferItemRefused('path-invalid', `"${input.path}" is not a path inside a repository.`, '/path', 'a relative path without "..", e.g. docs/betrieb.md');
  }
}

const today = () => new Date().toISOString().slice(0, 10);

/**
 * The owner (publish token) or the admin declares the item of one kind, replacing an earlier
 * declaration. The declaration wins over what the crawler discovers for the kind.
 */
export async function setTransferItem(db: Db, principal: Principal | null, input: { software: string; kind: TransferKind; item: TransferItemInput }) {
  const software = await getSoftwareRow(db, input.software);
  const who = requireScopeFor(principal, 'publish', software.organisationId);
  const { item } = input;
  checkTarget(input.kind, item);
  const repository = item.path !== undefined ? await repositoryFor(db, software.id, item.repository) : null;
  return db.transaction(async (tx) => {
    const stored = await upsertDeclaredItem(tx, {
      softwareId: software.id,
      kind: input.kind,
      notApplicable: item.notApplicable === true,
      url: item.url ?? null,
      repositoryId: repository?.id ?? null,
      path: item.path ?? null,
      email: item.email?.trim() ?? null,
      language: item.language ?? null,
      lastCheckedOn: item.notApplicable ? null : (item.lastCheckedOn ?? today()),
    });
    await audit(tx, who, {
      action: 'transfer-item.set',
      entityType: 'software',
      entityId: software.id,
      detail: { kind: input.kind, itemId: stored.id, notApplicable: stored.notApplicable },
    });
    return packageInTransaction(tx, software);
  });
}

/** Removes the owner's declaration of a kind; what the crawler discovered for it counts again. */
export async function removeTransferItem(db: Db, principal: Principal | null, input: { software: string; kind: TransferKind }) {
  const software = await getSoftwareRow(db, input.software);
  const who = requireScopeFor(principal, 'publish', software.organisationId);
  return db.transaction(async (tx) => {
    if (!(await deleteDeclaredItem(tx, software.id, input.kind))) throw new TransferItemNotDeclared(input.kind);
    await audit(tx, who, { action: 'transfer-item.remove', entityType: 'software', entityId: software.id, detail: { kind: input.kind } });
  });
}
