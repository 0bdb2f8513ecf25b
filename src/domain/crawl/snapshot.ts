import { parseHeaders, parseTree, type TreeEntry } from '../../git/objects';
import type { ObjectStore } from '../../git/pack';
import { isLicenceEvidenceFile } from '../../metadata/licence/index';
import { listTree, type TreePath } from './tree-listing';

export type SnapshotFile = { path: string; content: Buffer };

/** The files of the default branch a crawl reads; oversized ones only by name, with a reason. */
export type Snapshot = {
  rootNames: string[];
  files: Map<string, SnapshotFile>;
  /** path → why it was not read (too large, left out by the host's filter). */
  unreadable: Map<string, string>;
  /** Root entries and documentation folders by path (transfer-package discovery); never read. */
  paths: TreePath[];
};

const LICENCES_DIR = 'LICENSES';

/**
 * The root files a crawl reads: README (any), publiccode.yml, licence texts and package
 * manifests (licence detection), and everything in REUSE's LICENSES/. Nothing else of a
 * repository is fetched or inflated.
 */
export function isCrawledFile(name: string): boolean {
  return /^readme/i.test(name) || name === 'publiccode.yml' || name === 'publiccode.yaml' || isLicenceEvidenceFile(name);
}
/** git's mode of a symbolic link; the blob holds the target path. */
const SYMLINK = '120000';
/** Links to links are followed this many times at most (a loop ends here). */
const MAX_LINK_HOPS = 5;

/**
 * The blob a symbolic link at the root points to ("README.md → docs/README.md"), walked through
 * the trees of the commit; each further link is resolved from its own folder. null when the
 * target is missing, outside the repository or not a file.
 */
function followLink(store: ObjectStore, rootTree: Buffer, linkOid: string, missing?: Set<string>): TreeEntry | null {
  let target = store.objects.get(linkOid);
  if (!target && !store.oversized.has(linkOid)) missing?.add(linkOid);
  let folder: string[] = [];
  for (let hop = 0; hop < MAX_LINK_HOPS && target?.type === 'blob'; hop++) {
    if (target.data[0] === 0x2f) return null; // absolute: outside the repository
    const parts = [...folder];
    for (const part of target.data.toString('utf8').split('/')) {
      if (part === '' || part === '.') continue;
      if (part === '..') {
        if (parts.pop() === undefined) return null;
      } else parts.push(part);
    }
    if (parts.length === 0) return null;
    let tree = rootTree;
    let entry: TreeEntry | undefined;
    for (const [i, part] of parts.entries()) {
      entry = parseTree(tree).find((e) => e.name === part);
      if (!entry) return null;
      if (i < parts.length - 1) {
        const next = store.objects.get(entry.oid);
        if (entry.kind !== 'tree' || next?.type !== 'tree') return null;
        tree = next.data;
      }
    }
    if (!entry || entry.kind !== 'blob') return null;
    if (entry.mode !== SYMLINK) return entry;
    folder = parts.slice(0, -1);
    target = store.objects.get(entry.oid);
    if (!target && !store.oversized.has(entry.oid)) missing?.add(entry.oid);
  }
  return null;
}

function blobOf(store: ObjectStore, entry: TreeEntry, path: string, snapshot: Snapshot, maxBlobBytes: number, missing?: Set<string>) {
  const object = store.objects.get(entry.oid);
  if (object?.type === 'blob') snapshot.files.set(path, { path, content: object.data });
  else {
    if (!store.oversized.has(entry.oid)) missing?.add(entry.oid);
    const oversized = store.oversized.get(entry.oid);
    const size = oversized ? ` (${Math.round(oversized.size / 1024)} KiB)` : '';
    snapshot.unreadable.set(path, `larger than the limit of ${Math.round(maxBlobBytes / 1024)} KiB${size}`);
  }
}

/**
 * Reads the crawled files (isCrawledFile) of the root folder and REUSE's LICENSES/ of a shallow
 * commit from memory. Only blobs the pack carried are available; the ids of those it did not
 * carry go to `missing` (a partial fetch asks for them next), and a blob still missing is
 * reported with a reason.
 */
export function readSnapshot(store: ObjectStore, head: string, maxBlobBytes: number, missing?: Set<string>): Snapshot {
  const commit = store.objects.get(head);
  if (!commit || commit.type !== 'commit') throw new Error('the fetched pack does not contain the head commit');
  const rootTree = store.objects.get(parseHeaders(commit.data).get('tree') ?? '');
  if (!rootTree) throw new Error('the fetched pack does not contain the root tree');
  const snapshot: Snapshot = { rootNames: [], files: new Map(), unreadable: new Map(), paths: listTree(store, rootTree.data) };
  for (const entry of parseTree(rootTree.data)) {
    snapshot.rootNames.push(entry.name);
    if (entry.kind === 'blob' && !isCrawledFile(entry.name)) continue;
    if (entry.kind === 'blob' && entry.mode === SYMLINK) {
      const target = followLink(store, rootTree.data, entry.oid, missing);
      if (target) blobOf(store, target, entry.name, snapshot, maxBlobBytes, missing);
      else snapshot.unreadable.set(entry.name, 'a symbolic link to a file that is missing or outside the repository');
    } else if (entry.kind === 'blob') blobOf(store, entry, entry.name, snapshot, maxBlobBytes, missing);
    else if (entry.kind === 'tree' && entry.name === LICENCES_DIR) {
      const tree = store.objects.get(entry.oid);
      if (!tree) continue;
      for (const inner of parseTree(tree.data)) {
        if (inner.kind === 'blob') blobOf(store, inner, `${LICENCES_DIR}/${inner.name}`, snapshot, maxBlobBytes, missing);
      }
    }
  }
  return snapshot;
}
