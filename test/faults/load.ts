import type { HubProcess } from '../helpers/hub-process';

/** What one scenario's load saw, per answer class. */
export type Tally = {
  requests: number;
  /** Ids the API acknowledged with a 2xx: each must be found afterwards. */
  acknowledged: { organisations: string[]; repositories: string[] };
  ok: number;
  status503: number;
  /** 503s without Retry-After or not problem+json. */
  bad503: number;
  /** 5xx other than 503. */
  other5xx: number;
  /** No answer at all (refused, reset, or past the request time limit). */
  noAnswer: number;
  /** When the last 2xx write, the last 2xx read and the last 2xx write that queues a job arrived. */
  lastWriteOk: number;
  lastReadOk: number;
  lastQueueingWriteOk: number;
  samples: string[];
};

export function newTally(): Tally {
  return {
    requests: 0,
    acknowledged: { organisations: [], repositories: [] },
    ok: 0,
    status503: 0,
    bad503: 0,
    other5xx: 0,
    noAnswer: 0,
    lastWriteOk: 0,
    lastReadOk: 0,
    lastQueueingWriteOk: 0,
    samples: [],
  };
}

// A request the API holds longer than 10 s counts as no answer: clients (and load balancers) give up by then.
const REQUEST_LIMIT_MS = 10_000;

async function call(tally: Tally, url: string, init: RequestInit): Promise<{ status: number; body: unknown } | null> {
  tally.requests += 1;
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_LIMIT_MS) });
    const text = await response.text();
    if (response.status === 503) {
      tally.status503 += 1;
      const problem = response.headers.get('content-type')?.startsWith('application/problem+json');
      if (!problem || !response.headers.get('retry-after')) tally.bad503 += 1;
    } else if (response.status >= 500) {
      tally.other5xx += 1;
      if (tally.samples.length < 5) tally.samples.push(`${init.method ?? 'GET'} ${url} → ${response.status} ${text.slice(0, 200)}`);
    }
    return { status: response.status, body: text ? JSON.parse(text) : null };
  } catch (error) {
    tally.noAnswer += 1;
    if (tally.samples.length < 5) tally.samples.push(`${init.method ?? 'GET'} ${url} → ${(error as Error).message}`);
    return null;
  }
}

/**
 * A mixed load on a running API until `stop` is called: `writers` concurrent writers
 * (creating organisations; every fourth registers a repository, which the worker then crawls)
 * and `readers` concurrent readers (a list and single entries).
 */
export function driveLoad(input: { base: string; adminToken: string; organisationId: string; deadHost: string; writers: number; readers: number; label: string }) {
  const tally = newTally();
  let running = true;
  const headers = { authorization: `Bearer ${input.adminToken}`, 'content-type': 'application/json' };
  const writer = async (n: number) => {
    for (let i = 0; running; i++) {
      const registersRepository = n % 4 === 3;
      const result = registersRepository
        ? await call(tally, `${input.base}/v1/repositories`, {
            method: 'POST',
            headers,
            body: JSON.stringify({ url: `${input.deadHost}/${input.label}/w${n}-${i}`, organisationId: input.organisationId }),
          })
        : await call(tally, `${input.base}/v1/organisations`, {
            method: 'POST',
            headers,
            body: JSON.stringify({ name: `Fault ${input.label} ${n}-${i}`, kind: 'municipality' }),
          });
      if (result && result.status >= 200 && result.status < 300) {
        tally.ok += 1;
        tally.lastWriteOk = Date.now();
        if (registersRepository) tally.lastQueueingWriteOk = Date.now();
        const id = (result.body as { id: string }).id;
        (registersRepository ? tally.acknowledged.repositories : tally.acknowledged.organisations).push(id);
      } else if (!result || result.status >= 500) {
        // A client backs off after a failure instead of hammering.
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  };
  const reader = async (n: number) => {
    for (let i = 0; running; i++) {
      const known = tally.acknowledged.organisations.at(-1 - ((i + n) % 5));
      const url = i % 2 === 0 || !known ? `${input.base}/v1/organisations?limit=5` : `${input.base}/v1/organisations/${known}`;
      const result = await call(tally, url, { method: 'GET' });
      if (result && result.status === 200) {
        tally.ok += 1;
        tally.lastReadOk = Date.now();
      } else if (!result || result.status >= 500) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  };
  const loops = [
    ...Array.from({ length: input.writers }, (_, n) => writer(n)),
    ...Array.from({ length: input.readers }, (_, n) => reader(n)),
  ];
  return {
    tally,
    stop: async () => {
      running = false;
      await Promise.all(loops);
      return tally;
    },
  };
}

/**
 * Waits until a write, a read and a write that queues a job all succeeded after `since`; the
 * seconds it took, or null past `ms` or when a process died.
 */
export async function recovery(tally: Tally, since: number, processes: HubProcess[], ms = 20_000): Promise<number | null> {
  while (Date.now() - since < ms) {
    if (processes.some((p) => p.exit() !== null)) return null;
    // Polled every 50 ms: the figure is that precise.
    if (Math.min(tally.lastWriteOk, tally.lastReadOk, tally.lastQueueingWriteOk) > since) return (Date.now() - since) / 1000;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return null;
}

export type Row = {
  scenario: string;
  requests: number;
  acknowledgedWrites: number;
  writesFound: number;
  '5xx': number;
  '503': number;
  noAnswer: number;
  exits: number;
  /** Absent where the scenario has no outage to recover from. */
  recoverySeconds?: number | null;
  /** What the process's peak resident memory rose by during the scenario (hostile crawls). */
  peakMiB?: number;
  /** /health's 99th percentile latency during the scenario. */
  healthP99Ms?: number;
};

/** The fault table, printed after each suite: one line per scenario. */
export function printTable(title: string, rows: Row[]) {
  const header = ['scenario', 'requests', 'ack. writes', 'writes found', '5xx (not 503)', '503', 'no answer', 'exits', 'recovery s', 'peak MiB', '/health p99 ms'];
  const lines = rows.map((r) =>
    [
      r.scenario,
      r.requests,
      r.acknowledgedWrites,
      r.writesFound,
      r['5xx'],
      r['503'],
      r.noAnswer,
      r.exits,
      r.recoverySeconds === undefined ? '-' : (r.recoverySeconds?.toFixed(1) ?? 'never'),
      r.peakMiB ?? '-',
      r.healthP99Ms ?? '-',
    ].map(String),
  );
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const format = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ');
  process.stdout.write(`\n${title}\n${format(header)}\n${widths.map((w) => '-'.repeat(w)).join('-|-')}\n${lines.map(format).join('\n')}\n\n`);
}
