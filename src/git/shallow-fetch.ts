import { GitRemoteError, httpFailure } from './errors';
import { networkFailure, readBody, USER_AGENT } from './http-client';
import type { MemoryBudget } from './memory-budget';
import { outboundFetch, type Outbound, type Response } from './outbound';
import { watchPace, type Pace } from './pace-guard';
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
  /** An object filter ("blob:limit=1048576", "tree:0"), sent only when the remote supports filters. */
  filter?: string | null;
  /** The protocol the remote answered the refs request in, and what it offers for a fetch (RemoteRefs). */
  protocolVersion: 1 | 2;
  features: Set<string>;
  limits: FetchLimits;
  signal?: AbortSignal;
  outbound: Outbound;
  /** The crawl's share of the memory cap: the answer and every inflated object are reserved in it. */
  budget: MemoryBudget;
  /** The rate below which the transfer is stopped as too slow. */
  pace?: Pace;
};

function tooLarge(limits: FetchLimits) {
  return `repository too large to crawl: the shallow fetch exceeds ${Math.round(limits.maxPackBytes / 1024 / 1024)} MiB`;
}

/** Side-band packets: 1 = pack data, 2 = progress, 3 = fatal error. */
function demultiplex(packets: Iterable<{ kind: string; payload?: Buffer }>): Buffer {
  const parts: Buffer[] = [];
  for (const packet of packets) {
    if (packet.kind !== 'data') continue;
    const band = packet.payload![0];
    if (band === 1) parts.push(packet.payload!.subarray(1));
    else if (band === 3) {
      throw new GitRemoteError('temporary', `the git server failed while packing: ${packet.payload!.subarray(1).toString('utf8').trim()}`);
    }
  }
  return Buffer.concat(parts);
}

/** Protocol v2: the `packfile` section of the answer, demultiplexed. */
function extractPack(answer: Buffer): Buffer {
  const packets = readPackets(answer);
  for (const packet of packets) {
    if (packet.kind !== 'data') continue;
    const line = packet.payload.toString('utf8');
    if (line.startsWith('ERR ')) throw new GitRemoteError('not-git', `the git server refused the fetch: ${line.slice(4).trim()}`);
    if (line === 'packfile\n' || line === 'packfile') return demultiplex(packets);
  }
  throw new GitRemoteError('not-git', 'the git server sent no packfile');
}

/** Protocol v2 request: the fetch command with its arguments. */
function v2Request(request: FetchRequest): Buffer {
  const lines = [pktLine('command=fetch\n'), pktLine('agent=transferhub\n'), pktLine('object-format=sha1\n'), DELIM];
  lines.push(pktLine('ofs-delta\n'), pktLine('no-progress\n'));
  for (const oid of new Set(request.wants)) lines.push(pktLine(`want ${oid}\n`));
  if (request.depth) lines.push(pktLine(`deepen ${request.depth}\n`));
  if (request.filter) lines.push(pktLine(`filter ${request.filter}\n`));
  lines.push(pktLine('done\n'), FLUSH);
  return Buffer.concat(lines);
}

/**
 * Protocol v0/v1 request (servers whose web server does not pass Git-Protocol on, git before
 * 2.18): the capabilities on the first want, only those the server advertised.
 */
function v1Request(request: FetchRequest): Buffer {
  const offered = (name: string) => request.features.has(name);
  const capabilities = ['ofs-delta', 'side-band-64k', 'no-progress', 'shallow', 'filter'].filter(offered);
  if ([...request.features].some((f) => f.startsWith('agent='))) capabilities.push('agent=transferhub');
  const lines = [...new Set(request.wants)].map((oid, i) => pktLine(`want ${oid}${i === 0 ? ` ${capabilities.join(' ')}` : ''}\n`));
  if (request.depth) {
    // Without it the server would send the whole history; git itself refuses too.
    if (!offered('shallow')) throw new GitRemoteError('not-git', 'the git server cannot send a shallow clone (no "shallow" capability)');
    lines.push(pktLine(`deepen ${request.depth}\n`));
  }
  if (request.filter && offered('filter')) lines.push(pktLine(`filter ${request.filter}\n`));
  lines.push(FLUSH, pktLine('done\n'));
  return Buffer.concat(lines);
}

/** Protocol v0/v1 answer: shallow lines and a flush (when deepening), NAK, then the pack, side-band framed or raw. */
function extractV1Pack(answer: Buffer, sideBand: boolean): Buffer {
  let pos = 0;
  while (pos + 4 <= answer.length) {
    const hex = answer.toString('latin1', pos, pos + 4);
    if (!/^[0-9a-f]{4}$/i.test(hex)) break;
    const length = parseInt(hex, 16);
    if (length < 4) {
      pos += 4;
      continue;
    }
    const line = answer.toString('utf8', pos + 4, pos + length);
    pos += length;
    if (line.startsWith('ERR ')) throw new GitRemoteError('not-git', `the git server refused the fetch: ${line.slice(4).trim()}`);
    if (line.startsWith('NAK') || line.startsWith('ACK ')) {
      const rest = answer.subarray(pos);
      return sideBand ? demultiplex(readPackets(rest)) : rest;
    }
  }
  throw new GitRemoteError('not-git', 'the git server sent no packfile');
}

/**
 * A fetch of the wanted objects at the given depth (protocol v2 `fetch`, or v0/v1 for servers
 * that answered the refs request in it), straight into memory: one POST, the pack read with a
 * size guard and parsed without touching disk. Filters let
 * forges leave out large blobs (and, for tag dates, all trees) on their side.
 */
export async function fetchObjects(request: FetchRequest): Promise<ObjectStore> {
  const { limits, budget } = request;
  const v2 = request.protocolVersion === 2;
  const guard = watchPace(request.pace, request.signal);
  const signal = guard.signal;

  let response: Response;
  let answer: Buffer;
  try {
    try {
      response = await outboundFetch(request.outbound, `${request.gitUrl}/git-upload-pack`, {
        method: 'POST',
        headers: {
          'user-agent': USER_AGENT,
          'content-type': 'application/x-git-upload-pack-request',
          accept: 'application/x-git-upload-pack-result',
          ...(v2 ? { 'git-protocol': 'version=2' } : {}),
        },
        body: v2 ? v2Request(request) : v1Request(request),
        signal,
      });
    } catch (error) {
      throw networkFailure(error, signal);
    }
    if (response.status !== 200) {
      await response.body?.cancel().catch(() => {});
      throw httpFailure(response.status);
    }
    try {
      answer = await readBody(response, { maxBytes: limits.maxPackBytes, signal, tooLarge: tooLarge(limits), budget, guard });
    } catch (error) {
      throw networkFailure(error, signal);
    }
  } finally {
    guard.stop();
  }
  // Side-band framing is taken off into a second buffer; the answer is dropped once it is.
  budget.take(answer.length, 'the pack');
  const pack = v2 ? extractPack(answer) : extractV1Pack(answer, request.features.has('side-band-64k'));
  budget.give(answer.length);
  try {
    return await parsePack(pack, { maxObjectBytes: limits.maxBlobBytes, budget });
  } catch (error) {
    if (error instanceof GitRemoteError) throw error;
    throw new GitRemoteError('temporary', `the packfile from the git server could not be read (${(error as Error).message})`);
  } finally {
    budget.give(pack.length);
  }
}
