import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { calculateJwkThumbprint } from 'jose';
import { signRequest, signResponse, verifyRequest } from '../../src/domain/federation/http-signatures';
import { signRecord } from '../../src/domain/federation/proof';
import type { ChangeEntry } from '../../src/domain/federation/change-entry';

/**
 * A hostile peer on loopback (design: "How to test it"). In mode `ok` it is an honest hub: it
 * serves its descriptor, keys, a change feed and a snapshot of the entries a test publishes,
 * every answer signed and bound to the request. Each other mode misbehaves in one way.
 */
export type FakePeerMode =
  | 'ok'
  | 'down' // the connection is cut as soon as it is accepted
  | 'hang' // accepts and never answers
  | 'drip' // headers, then one byte a second
  | 'huge' // a body without end
  | 'html' // 200 text/html (a captive portal, a misconfigured proxy)
  | 'bad-json' // a signed 200 application/json that is not JSON
  | 'schema-invalid' // a signed page whose second entry breaks the entry schema
  | 'replay' // an earlier signed answer, recorded for another request
  | 'forged' // answers signed by a key the puller did not pin
  | 'rollback' // the next page's highWaterMark lower than the last one served
  | 'gone' // 410 cursor-expired on the change feed
  | '429' // 429 with Retry-After
  | '503'; // 503 with Retry-After

export type FakePeer = {
  hubId: string;
  kid: string;
  publicKey: KeyObject;
  mode: FakePeerMode;
  /** Retry-After in seconds for modes 429 and 503. */
  retryAfterSeconds: number;
  /** The protocol the descriptor announces. */
  protocol: string;
  logEpoch: string;
  /** Every request seen, with whether its signature verified against the trusted puller key. */
  requests: { method: string; url: string; verified: boolean | null }[];
  /** Appends a signed entry of this origin to the feed (seq assigned) and returns it. */
  publish(spec: { type?: ChangeEntry['type']; uuid: string; version: number; op?: ChangeEntry['op']; record?: Record<string, unknown> }): ChangeEntry;
  /** Appends an entry as given (a relayed one, a tampered one) to the feed. */
  append(entry: Record<string, unknown>): void;
  /** Requests must be signed by this key of the puller, or they get 401. */
  trust(keyid: string, publicKey: KeyObject): void;
  /** Forgets the log before `seq`: a cursor from before it gets 410 (log compaction). */
  compactBefore(seq: number): void;
  /** Signature headers of a request this peer sends (a notify to the hub that pulls it). */
  signRequest(request: { method: string; targetUri: string; body?: string }): Record<string, string>;
  close(): Promise<void>;
};

type Served = { status: number; headers: Record<string, string>; body: string };

/** pageSize: the most entries a page holds, whatever limit is asked; maxPageSize: the maximum its descriptor announces (none if absent). */
export async function startFakePeer(options: { pageSize?: number; maxPageSize?: number } = {}): Promise<FakePeer> {
  const pageSize = options.pageSize ?? 50;
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const forger = generateKeyPairSync('ed25519');
  const jwk = publicKey.export({ format: 'jwk' });
  const kid = await calculateJwkThumbprint({ kty: jwk.kty!, crv: jwk.crv!, x: jwk.x! }, 'sha256');
  const log: { seq: number; entry: Record<string, unknown> }[] = [];
  let compactedBefore = 0;
  let trusted: { keyid: string; publicKey: KeyObject } | null = null;
  const served: { url: string; answer: Served }[] = [];
  let lastHighWaterMark = 0;
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();

  const server = createServer((request, response) => void handle(request, response));
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const hubId = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const peer: FakePeer = {
    hubId,
    kid,
    publicKey,
    mode: 'ok',
    retryAfterSeconds: 2,
    protocol: '1.0',
    logEpoch: 'epoch-1',
    requests: [],
    publish(spec) {
      const type = spec.type ?? 'software';
      const op = spec.op ?? 'upsert';
      const unsigned: Record<string, unknown> = {
        op,
        type,
        id: `${hubId}/id/${type}/${spec.uuid}`,
        origin: hubId,
        originVersion: spec.version,
        originUpdatedAt: new Date().toISOString(),
        schema: `${hubId}/federation/v1/schema/${type}`,
        ...(op === 'upsert' ? { record: spec.record ?? { name: spec.uuid } } : { deletedAt: new Date().toISOString(), reason: op }),
      };
      const entry = { ...unsigned, proof: signRecord(unsigned, { privateKey, verificationMethod: `${hubId}/federation/v1/keys#${kid}` }) };
      peer.append(entry);
      return entry as ChangeEntry;
    },
    append(entry) {
      log.push({ seq: log.length + 1, entry });
    },
    trust(keyid, key) {
      trusted = { keyid, publicKey: key };
    },
    compactBefore(seq) {
      compactedBefore = seq;
    },
    signRequest(request) {
      return signRequest({ ...request, headers: {} }, { key: { privateKey, keyid: kid } });
    },
    async close() {
      for (const timer of timers) clearInterval(timer);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  function send(request: IncomingMessage, response: ServerResponse, answer: Served, signWith: KeyObject = privateKey, keyid = kid): Served {
    const signed = signResponse(
      { status: answer.status, headers: answer.headers, body: answer.body },
      { method: request.method ?? 'GET', targetUri: `${hubId}${request.url}`, headers: {} },
      { key: { privateKey: signWith, keyid } },
    );
    const headers = { ...answer.headers, ...signed };
    response.writeHead(answer.status, headers);
    response.end(answer.body);
    return { ...answer, headers };
  }

  const json = (status: number, body: unknown, type = 'application/json'): Served => ({ status, headers: { 'content-type': type }, body: JSON.stringify(body) });

  function changesPage(url: URL): Served {
    const since = Number(url.searchParams.get('since') ?? '0') || 0;
    const limit = Math.min(Number(url.searchParams.get('limit') ?? pageSize) || pageSize, pageSize);
    if (peer.mode === 'gone' || since < compactedBefore - 1) {
      return json(410, { type: 'about:blank', title: 'cursor expired', status: 410, code: 'federation.cursor-expired' }, 'application/problem+json');
    }
    const rows = log.filter((row) => row.seq > since).slice(0, limit);
    const entries = rows.map((row) => ({ ...row.entry, seq: row.seq }));
    if (peer.mode === 'schema-invalid' && entries.length > 1) entries[1] = { ...entries[1], originVersion: 'two' } as never;
    const next = rows.at(-1)?.seq ?? since;
    let highWaterMark = log.length;
    if (peer.mode === 'rollback') highWaterMark = Math.max(0, lastHighWaterMark - 1);
    lastHighWaterMark = Math.max(lastHighWaterMark, highWaterMark);
    return json(200, { entries, next: String(next), hasMore: next < log.length, highWaterMark: String(highWaterMark), logEpoch: peer.logEpoch });
  }

  function snapshotPage(url: URL): Served {
    const after = url.searchParams.get('after') ?? '';
    const limit = Math.min(Number(url.searchParams.get('limit') ?? pageSize) || pageSize, pageSize);
    const latest = new Map<string, Record<string, unknown>>();
    for (const row of log) {
      const id = String(row.entry.id);
      const held = latest.get(id);
      if (!held || Number(row.entry.originVersion) >= Number(held.originVersion)) latest.set(id, row.entry);
    }
    const current = [...latest.values()].filter((entry) => entry.op === 'upsert' && String(entry.id) > after).sort((x, y) => String(x.id).localeCompare(String(y.id)));
    const entries = current.slice(0, limit);
    const hasMore = current.length > limit;
    return json(200, { entries, next: hasMore ? String(entries.at(-1)!.id) : null, hasMore, asOf: String(log.length), logEpoch: peer.logEpoch });
  }

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const url = new URL(request.url ?? '/', hubId);
    const verified = trusted
      ? verifyRequest(
          { method: request.method ?? 'GET', targetUri: `${hubId}${request.url}`, headers: request.headers as Record<string, string> },
          { keyFor: (keyid) => (keyid === trusted!.keyid ? trusted!.publicKey : null) },
        ).ok
      : null;
    peer.requests.push({ method: request.method ?? 'GET', url: request.url ?? '/', verified });
    switch (peer.mode) {
      case 'down':
        request.socket.destroy();
        return;
      case 'hang':
        return;
      case 'drip': {
        response.writeHead(200, { 'content-type': 'application/json' });
        const timer = setInterval(() => response.write('{'), 1000);
        timers.add(timer);
        response.on('close', () => clearInterval(timer));
        return;
      }
      case 'huge': {
        response.writeHead(200, { 'content-type': 'application/json' });
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        const pump = () => {
          while (!response.destroyed && response.write(chunk));
          if (!response.destroyed) response.once('drain', pump);
        };
        pump();
        return;
      }
      case 'html':
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        response.end('<!doctype html><title>Anmeldung erforderlich</title>');
        return;
      case '429':
      case '503':
        send(request, response, { ...json(Number(peer.mode), { status: Number(peer.mode), title: 'later' }, 'application/problem+json'), headers: { 'content-type': 'application/problem+json', 'retry-after': String(peer.retryAfterSeconds) } });
        return;
    }
    if (verified === false && url.pathname !== '/federation/v1/hub' && url.pathname !== '/federation/v1/keys') {
      send(request, response, json(401, { status: 401, title: 'signature refused', code: 'federation.signature' }, 'application/problem+json'));
      return;
    }
    let answer: Served;
    if (url.pathname === '/federation/v1/hub') {
      const announced = options.maxPageSize === undefined ? {} : { maxPageSize: options.maxPageSize };
      answer = json(200, { id: hubId, protocol: peer.protocol, name: 'fake', contact: null, logEpoch: peer.logEpoch, ...announced, links: { keys: `${hubId}/federation/v1/keys` } });
    } else if (url.pathname === '/federation/v1/keys') {
      answer = json(200, { keys: [{ ...jwk, kid, alg: 'EdDSA', use: 'sig' }] }, 'application/jwk-set+json');
    } else if (url.pathname === '/federation/v1/changes') {
      answer = changesPage(url);
    } else if (url.pathname === '/federation/v1/snapshot') {
      answer = snapshotPage(url);
    } else {
      answer = json(404, { status: 404, title: 'not found' }, 'application/problem+json');
    }
    if (peer.mode === 'bad-json') answer = { ...answer, body: answer.body.slice(0, -3) + ',,}' };
    const recorded = served.findLast((earlier) => earlier.url !== request.url);
    if (peer.mode === 'replay' && recorded) {
      // A recorded answer with its original signature: bound to another request, so it must fail.
      response.writeHead(recorded.answer.status, recorded.answer.headers);
      response.end(recorded.answer.body);
      return;
    }
    if (peer.mode === 'forged') {
      send(request, response, answer, forger.privateKey, kid);
      return;
    }
    served.push({ url: request.url ?? '/', answer: send(request, response, answer) });
    if (served.length > 20) served.shift();
  }

  return peer;
}
