import type { MemoryBudget } from '../../git/memory-budget';
import type { Outbound } from '../../git/outbound';
import type { Pace } from '../../git/pace-guard';
import type { GitObject, ObjectStore, ObjectType } from '../../git/pack';
import { fetchObjects, type FetchLimits, type FetchRequest } from '../../git/shallow-fetch';
import { readContent, type Content, type Where } from './read-content';
import { readSnapshot, type Snapshot } from './snapshot';

/** What a crawl thread needs to read the head commit's files: plain data, sent to the thread as is. */
export type HeadFetch = {
  gitUrl: string;
  head: string;
  protocolVersion: 1 | 2;
  features: Set<string>;
  limits: FetchLimits;
  outbound: Outbound;
  pace?: Pace;
  /** Where the repository lives, for links in the README. */
  where: Where;
};

export type HeadSnapshot = { snapshot: Snapshot; commit: GitObject };
/** What a crawl thread sends back for the head: the entry's fields and the commit (for tag dates). */
export type HeadContent = { content: Content; commit: GitObject };

/** The head commit's files read into the software entry's fields (runs in a crawl thread). */
export async function readHead(input: HeadFetch, run: { budget: MemoryBudget; signal?: AbortSignal }): Promise<HeadContent> {
  const { snapshot, commit } = await fetchHeadSnapshot(input, run);
  return { content: readContent(snapshot, input.where), commit };
}

/** README → docs/README.md → …: each link hop may need one more blob fetch; snapshot.ts follows 5 hops. */
const MAX_BLOB_ROUNDS = 6;

/**
 * Whether the host can leave out every blob (`filter blob:none`) and then send single blobs by
 * id. Protocol v2 takes any object as a want; v0/v1 only with allow-*-sha1-in-want.
 */
function fetchesBlobsById(input: HeadFetch): boolean {
  if (!input.features.has('filter')) return false;
  return input.protocolVersion === 2 || input.features.has('allow-reachable-sha1-in-want') || input.features.has('allow-any-sha1-in-want');
}

/**
 * The head commit's crawled files (README, licences, manifests, publiccode.yml), asking the host
 * for no more than those where it can: first the commit and its trees without any blob, then
 * the few blobs named in them by id. A host without filters sends the whole commit, blobs up to
 * the limit (or all, without filters), inflated within the crawl's memory budget.
 */
export async function fetchHeadSnapshot(input: HeadFetch, run: { budget: MemoryBudget; signal?: AbortSignal }): Promise<HeadSnapshot> {
  const base: Omit<FetchRequest, 'wants'> = {
    gitUrl: input.gitUrl,
    protocolVersion: input.protocolVersion,
    features: input.features,
    limits: input.limits,
    outbound: input.outbound,
    pace: input.pace,
    budget: run.budget,
    signal: run.signal,
  };
  const maxBlob = input.limits.maxBlobBytes;
  if (!fetchesBlobsById(input)) {
    const filter = input.features.has('filter') ? `blob:limit=${maxBlob}` : null;
    const store = await fetchObjects({ ...base, wants: [input.head], depth: 1, filter });
    return { snapshot: readSnapshot(store, input.head, maxBlob), commit: store.objects.get(input.head)! };
  }
  const store = await fetchObjects({ ...base, wants: [input.head], depth: 1, filter: 'blob:none' });
  for (let round = 0; round < MAX_BLOB_ROUNDS; round++) {
    const missing = new Set<string>();
    readSnapshot(store, input.head, maxBlob, missing);
    if (missing.size === 0) break;
    const blobs = await fetchObjects({ ...base, wants: [...missing] });
    for (const [oid, object] of blobs.objects) store.objects.set(oid, object);
    for (const [oid, known] of blobs.oversized) store.oversized.set(oid, known);
    // A host that did not send what was asked for would be asked forever.
    if (![...missing].some((oid) => store.objects.has(oid) || store.oversized.has(oid))) break;
  }
  return { snapshot: readSnapshot(store, input.head, maxBlob), commit: store.objects.get(input.head)! };
}

/** A fetch keeping only objects of the given types (tag dates need commits and tags, never trees or blobs). */
export async function fetchObjectsOf(request: FetchRequest, keep: ObjectType[]): Promise<ObjectStore> {
  const store = await fetchObjects(request);
  for (const [oid, object] of store.objects) if (!keep.includes(object.type)) store.objects.delete(oid);
  store.oversized.clear();
  return store;
}
