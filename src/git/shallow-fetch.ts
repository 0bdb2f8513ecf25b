import { GitRemoteError, httpFailure } from './errors';
import { networkFailure, readBody, USER_AGENT } from './http-client';
import { outboundFetch, type Outbound, type Response } from './outbound';
import { parsePack, type ObjectStore } from './pack';
import { DELIM, FLUSH, pktLine, readPackets } from './pkt-line';

export type FetchLimits = {
  /** The whole answer (the pack and its framing) may not exceed this. */
  maxPackBytes: number;
  /** Objects above this size are never inflated into memory. */
  maxBlobBytes: number;
};

export type FetchRequest = {
  gitUrl: string;
  wants: string[];
  /** depth 1: only the wanted commits, no history. */
  depth?: number;
  /** A protocol v2 object filter ("blob:limit=1048576", "tree:0"), sent only when the remote supports filters. */
  filter?: string | null;
  limits: FetchLimits;
  signal?: AbortSignal;
  outbound: Outbound;
};

function tooLarge(limits: FetchLimits) {
  return `repository too large to crawl: the shallow fetch exceeds ${Math.round(limits.maxPackBytes / 1024 / 1024)} MiB`;
}

/** Demultiplexes the `packfile` section (side-band 1 = data, 2 = progress, 3 = fatal error). */
function extractPack(answer: Buffer): Buffer {
  const parts: Buffer[] = [];
  let inPack = false;
  for (const packet of readPackets(answer)) {
    if (packet.kind !== 'data') continue;
    if (!inPack) {
      const line = packet.payload.toString('utf8');
      if (line.startsWith('ERR ')) throw new GitRemoteError('not-git', `the git server refused the fetch: ${line.slice(4).trim()}`);
      if (line === 'packfile\n' || line === 'packfile') inPack = true;
      continue;
    }
    const band = packet.payload[0];
    if (band === 1) parts.push(packet.payload.subarray(1));
    else if (band === 3) {
      throw new GitRemoteError('temporary', `the git server failed while packing: ${packet.payload.subarray(1).toString('utf8').trim()}`);
    }
  }
  if (!inPack) throw new GitRemoteError('not-git', 'the git server sent no packfile');
  return Buffer.concat(parts);
}

/**
 * A protocol v2 `fetch` of the wanted objects at the given depth, straight into memory:
 * one POST, the pack read with a size guard and parsed without touching disk. Filters let
 * forges leave out large blobs (and, for tag dates, all trees) on their side.
 */
export async function fetchObjects(request: FetchRequest): Promise<ObjectStore> {
  const { limits, signal } = request;
  const lines = [pktLine('command=fetch\n'), pktLine('agent=transferhub\n'), pktLine('object-format=sha1\n'), DELIM];
  lines.push(pktLine('ofs-delta\n'), pktLine('no-progress\n'));
  for (const oid of new Set(request.wants)) lines.push(pktLine(`want ${oid}\n`));
  if (request.depth) lines.push(pktLine(`deepen ${request.depth}\n`));
  if (request.filter) lines.push(pktLine(`filter ${request.filter}\n`));
  lines.push(pktLine('done\n'), FLUSH);

  let response: Response;
  try {
    response = await outboundFetch(request.outbound, `${request.gitUrl}/git-upload-pack`, {
      method: 'POST',
      headers: {
        'user-agent': USER_AGENT,
        'content-type': 'application/x-git-upload-pack-request',
        accept: 'application/x-git-upload-pack-result',
        'git-protocol': 'version=2',
      },
      body: Buffer.concat(lines),
      signal,
    });
  } catch (error) {
    throw networkFailure(error, signal);
  }
  if (response.status !== 200) {
    await response.body?.cancel().catch(() => {});
    throw httpFailure(response.status);
  }
  let answer: Buffer;
  try {
    answer = await readBody(response, { maxBytes: limits.maxPackBytes, signal, tooLarge: tooLarge(limits) });
  } catch (error) {
    throw networkFailure(error, signal);
  }
  const pack = extractPack(answer);
  try {
    return await parsePack(pack, limits.maxBlobBytes);
  } catch (error) {
    throw new GitRemoteError('temporary', `the packfile from the git server could not be read (${(error as Error).message})`);
  }
}
