import { parseTree } from '../../git/objects';
import type { ObjectStore } from '../../git/pack';

/** A file or folder of the head commit, by path only (its content is never read for the listing). */
export type TreePath = { path: string; folder: boolean };

/**
 * The root folders whose contents the crawl lists (two levels down): where projects keep their
 * documentation and GitHub/GitLab keep SECURITY.md. Other folders are never walked, so a large
 * monorepo costs no more than a small project.
 */
const LISTED_FOLDERS = /^(docs?|documentation|dokumentation|handbuch|manual|\.github|\.gitlab)$/i;
/** Levels below a listed folder: docs/datenschutz/vvt.md is found, deeper trees are not walked. */
const MAX_DEPTH = 2;
/** Enough for any documentation folder; a generated API reference with thousands of pages stops here. */
const MAX_PATHS = 2000;

/**
 * The root entries and the contents of the documentation folders of a commit, from the trees the
 * head fetch carried (a fetch with `blob:none` still sends every tree). A tree the pack did not
 * carry is skipped.
 */
export function listTree(store: ObjectStore, rootTree: Buffer): TreePath[] {
  const paths: TreePath[] = [];
  const walk = (tree: Buffer, prefix: string, depth: number) => {
    for (const entry of parseTree(tree)) {
      if (paths.length >= MAX_PATHS) return;
      const path = prefix + entry.name;
      const folder = entry.kind === 'tree';
      paths.push({ path, folder });
      const descend = folder && (prefix === '' ? LISTED_FOLDERS.test(entry.name) : depth < MAX_DEPTH);
      const inner = descend ? store.objects.get(entry.oid) : undefined;
      if (inner?.type === 'tree') walk(inner.data, `${path}/`, prefix === '' ? 1 : depth + 1);
    }
  };
  walk(rootTree, '', 0);
  return paths;
}
