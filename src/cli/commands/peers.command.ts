import { parseArgs } from 'node:util';
import { loadCliConfig, type CliConfig } from '../cli-config.js';
import { HubUnavailable, hubRequest, problemDetail, type HubAnswer } from '../release/hub-client.js';
import { EXIT_AUTH, EXIT_CONFLICT, EXIT_NEGATIVE, EXIT_NOT_FOUND, EXIT_OK, EXIT_UNAVAILABLE, printJson, UsageError } from './exit-codes.js';

/**
 * `transferhub peers add|list|pause|resume|sync|quarantine`: the peer administration of the
 * admin API (`/v1/federation/peers`) from a terminal, with the hub's admin token in
 * TRANSFERHUB_TOKEN. Over HTTP, not the database: an embedded hub's PGlite is open in the
 * running hub and cannot be opened by a second process.
 */
type Peer = {
  id: string;
  hubId: string;
  status: string;
  lastSuccessAt?: string | null;
  lastError?: string | null;
  lag?: unknown;
  counters?: Record<string, number>;
  [field: string]: unknown;
};

const PEERS = '/v1/federation/peers';

function connection(config: CliConfig) {
  if (!config.hubUrl) throw new UsageError('TRANSFERHUB_URL is not set / ist nicht gesetzt');
  if (!config.token) throw new UsageError("TRANSFERHUB_TOKEN is not set / ist nicht gesetzt (the hub's admin token)");
  // No retries: an admin at a terminal sees the failure and decides; a POST here is not idempotent.
  return { hubUrl: config.hubUrl, token: config.token, retries: 0 };
}

/** An answer's exit code, and the problem on stderr when it is not a success. */
function outcome(answer: HubAnswer): number {
  if (answer.status < 300) return EXIT_OK;
  process.stderr.write(`transferhub: ${answer.status} ${problemDetail(answer.body) ?? ''}\n`);
  if (answer.status === 401 || answer.status === 403) return EXIT_AUTH;
  if (answer.status === 404) return EXIT_NOT_FOUND;
  if (answer.status === 409) return EXIT_CONFLICT;
  return answer.status >= 500 ? EXIT_UNAVAILABLE : EXIT_NEGATIVE;
}

async function call(config: CliConfig, method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown): Promise<HubAnswer> {
  try {
    return await hubRequest({ ...connection(config), method, path, body });
  } catch (error) {
    if (error instanceof HubUnavailable) {
      process.stderr.write(`transferhub: ${error.message}\n`);
      return { status: 503, body: null, location: null };
    }
    throw error;
  }
}

const OPTIONS = { json: { type: 'boolean' }, pin: { type: 'string' }, yes: { type: 'boolean' }, scope: { type: 'string' } } as const;

function parse(args: string[], positionals: number) {
  const parsed = parseArgs({ args, options: OPTIONS, allowPositionals: true });
  if (parsed.positionals.length !== positionals) throw new UsageError(`expected ${positionals} argument(s), got ${parsed.positionals.length}`);
  return parsed;
}

/** `peers add <base-url> [--pin <kid,…> | --yes]`: shows the peer's descriptor and key thumbprints; pins them when confirmed. */
export const add = {
  async run(args: string[], config: CliConfig = loadCliConfig()): Promise<number> {
    const { values, positionals } = parse(args, 1);
    const baseUrl = positionals[0]!;
    const preview = await call(config, 'POST', PEERS, { baseUrl });
    if (preview.status !== 200) return outcome(preview);
    const peer = (preview.body as { peer: { hubId: string; name?: string; protocol?: string; keys: { kid: string }[] } }).peer;
    const pin = values.pin ? String(values.pin).split(',').map((kid) => kid.trim()).filter(Boolean) : values.yes ? peer.keys.map((key) => key.kid) : null;
    if (!pin) {
      if (values.json) printJson(preview.body);
      else {
        console.log(`${peer.hubId} (${peer.name ?? ''}, protocol ${peer.protocol ?? '?'})`);
        console.log('key thumbprints / Schlüssel-Fingerabdrücke (compare with the peer operator / mit dem Betreiber vergleichen):');
        for (const key of peer.keys) console.log(`  ${key.kid}`);
        console.log(`to pin / zum Festlegen: transferhub peers add ${baseUrl} --pin ${peer.keys.map((key) => key.kid).join(',')}`);
      }
      return EXIT_OK;
    }
    const scope = values.scope === undefined ? null : authorityScope(String(values.scope));
    const stored = await call(config, 'POST', PEERS, { baseUrl, pin });
    if (stored.status === 201 && scope) {
      // What the peer may be origin for: without it every organisation it sends is quarantined.
      const id = (stored.body as { peer: Peer }).peer.id;
      const scoped = await call(config, 'PATCH', `${PEERS}/${encodeURIComponent(id)}`, { authorityScope: scope });
      if (scoped.status !== 200) return outcome(scoped);
    }
    if (stored.status === 201) {
      if (values.json) printJson(stored.body);
      else console.log(`added / hinzugefügt: ${(stored.body as { peer: Peer }).peer.id} ${peer.hubId}`);
    }
    return outcome(stored);
  },
};

/** `--scope all` (any organisation no other origin holds) or official-key prefixes, `09,08`. */
function authorityScope(text: string) {
  if (text === 'all') return { officialKeyPrefixes: [], organisationIds: [], anyOrganisation: true };
  const prefixes = text.split(',').map((prefix) => prefix.trim()).filter(Boolean);
  if (prefixes.length === 0 || prefixes.some((prefix) => !/^[0-9]{1,12}$/.test(prefix))) {
    throw new UsageError('--scope takes "all" or official-key prefixes such as 09,08 / --scope: "all" oder Schlüssel-Präfixe');
  }
  return { officialKeyPrefixes: prefixes, organisationIds: [] };
}

/** `peers list`: every peer with status, last success, last error and counters. */
export const list = {
  async run(args: string[], config: CliConfig = loadCliConfig()): Promise<number> {
    const { values } = parse(args, 0);
    const answer = await call(config, 'GET', PEERS);
    if (answer.status === 200) {
      const items = (answer.body as { items: Peer[] }).items;
      if (values.json) printJson(answer.body);
      else if (items.length === 0) console.log('no peers / keine Peers');
      else for (const peer of items) console.log([peer.id, peer.hubId, peer.status, peer.lastSuccessAt ?? '-', peer.lastError ?? ''].join('\t'));
    }
    return outcome(answer);
  },
};

/** `peers pause|resume|sync <peer id>`. */
function action(name: 'pause' | 'resume' | 'sync') {
  return {
    async run(args: string[], config: CliConfig = loadCliConfig()): Promise<number> {
      const { values, positionals } = parse(args, 1);
      const answer = await call(config, 'POST', `${PEERS}/${encodeURIComponent(positionals[0]!)}/${name}`);
      if (answer.status < 300) {
        if (values.json) printJson(answer.body);
        else console.log(name === 'sync' ? 'pull queued / Abruf eingereiht' : `${(answer.body as Peer).hubId}: ${(answer.body as Peer).status}`);
      }
      return outcome(answer);
    },
  };
}
export const pause = action('pause');
export const resume = action('resume');
export const sync = action('sync');

/**
 * `peers quarantine <peer id>` lists the held entries; `peers quarantine <peer id> release|discard <entry id>`
 * decides one.
 */
export const quarantine = {
  async run(args: string[], config: CliConfig = loadCliConfig()): Promise<number> {
    const { values, positionals } = parseArgs({ args, options: { json: { type: 'boolean' } }, allowPositionals: true });
    const [peerId, decision, entryId] = positionals;
    if (!peerId || (decision !== undefined && (!['release', 'discard'].includes(decision) || !entryId))) {
      throw new UsageError('transferhub peers quarantine <peer id> [release|discard <entry id>]');
    }
    const base = `${PEERS}/${encodeURIComponent(peerId)}/quarantine`;
    const answer = decision ? await call(config, 'POST', `${base}/${encodeURIComponent(entryId!)}/${decision}`) : await call(config, 'GET', base);
    if (answer.status < 300) {
      if (values.json || decision) printJson(answer.body);
      else for (const item of (answer.body as { items: Record<string, unknown>[] }).items) console.log([item.id, item.reason, item.globalId ?? '-', item.detail ?? ''].join('\t'));
    }
    return outcome(answer);
  },
};
