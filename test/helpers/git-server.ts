import { execFile, execFileSync, spawn } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Fixed identity and dates so commits are reproducible and tag dates are known. */
export function gitEnv(date = '2024-03-01T12:00:00+01:00'): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GIT_AUTHOR_NAME: 'Stadt Test',
    GIT_AUTHOR_EMAIL: 'it@stadt.example',
    GIT_COMMITTER_NAME: 'Stadt Test',
    GIT_COMMITTER_EMAIL: 'it@stadt.example',
    GIT_AUTHOR_DATE: date,
    GIT_COMMITTER_DATE: date,
    GIT_CONFIG_NOSYSTEM: '1',
    HOME: tmpdir(),
  };
}

export async function git(cwd: string, args: string[], date?: string): Promise<string> {
  const { stdout } = await run('git', args, { cwd, env: gitEnv(date), maxBuffer: 64 * 1024 * 1024 });
  return stdout.trim();
}

function runWithInput(cwd: string, args: string[], input: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd, env: gitEnv(), stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`git ${args[0]} failed: ${stderr}`))));
    child.stdin.end(input);
  });
}

export type RepoFiles = Record<string, string | Buffer>;

/** A repository under construction: a working copy that pushes into a bare repository the server serves. */
export class TestRepo {
  constructor(
    readonly name: string,
    readonly workDir: string,
    readonly bareDir: string,
  ) {}

  async write(files: RepoFiles) {
    for (const [path, content] of Object.entries(files)) {
      const full = join(this.workDir, path);
      await mkdir(dirname(full), { recursive: true });
      await writeFile(full, content);
    }
  }

  async commit(files: RepoFiles, message = 'Änderung', date?: string): Promise<string> {
    await this.write(files);
    await git(this.workDir, ['add', '-A']);
    await git(this.workDir, ['commit', '-q', '--allow-empty', '-m', message], date);
    return git(this.workDir, ['rev-parse', 'HEAD']);
  }

  /**
   * Many tags in two processes: lightweight ones through `update-ref --stdin`, annotated
   * ones through `fast-import` (200 `git tag` calls would take seconds).
   */
  async tagMany(tags: { name: string; message?: string; date?: string }[]) {
    const head = await git(this.workDir, ['rev-parse', 'HEAD']);
    const light = tags.filter((t) => !t.message).map((t) => `create refs/tags/${t.name} ${head}\n`).join('');
    if (light) await runWithInput(this.workDir, ['update-ref', '--stdin'], light);
    const annotated = tags.filter((t) => t.message);
    if (annotated.length) {
      const stream = annotated
        .map((t) => {
          const seconds = Math.floor(new Date(t.date ?? '2024-03-01T12:00:00+01:00').getTime() / 1000);
          const message = Buffer.from(t.message!, 'utf8');
          return `tag ${t.name}\nfrom ${head}\ntagger Stadt Test <it@stadt.example> ${seconds} +0000\ndata ${message.length}\n${t.message}\n`;
        })
        .join('');
      await runWithInput(this.workDir, ['fast-import', '--quiet'], stream);
    }
  }

  /** A lightweight tag, or an annotated one when a message is given. */
  async tag(name: string, options: { message?: string; date?: string } = {}) {
    const args = options.message ? ['tag', '-a', name, '-m', options.message] : ['tag', name];
    await git(this.workDir, args, options.date);
  }

  async push() {
    await git(this.workDir, ['push', '-q', '--force', '--tags', this.bareDir, 'HEAD:refs/heads/main']);
  }
}

export type GitServer = {
  url: string;
  root: string;
  /** Every request path with method, e.g. "POST /stadt/app.git/git-upload-pack". */
  requests: string[];
  /** Renamed repositories: old path → new path, answered with 301 like GitHub does. */
  renames: Map<string, string>;
  /** Paths (repository names) answered with this status instead of git (outages, 5xx). */
  failures: Map<string, number>;
  /** Repository names whose clones (`command=fetch`) are held unanswered, as a host that hangs mid-transfer. */
  stalls: Set<string>;
  /** Repository names whose clones (`command=fetch`) are held from the nth on: the earlier ones (a crawl's content) are answered, later ones (its releases) wait. */
  laterStalls: Map<string, number>;
  /** Ends the stall of a repository: its held clones are answered now, later ones at once (forces an ordering in tests). */
  releaseStall(name: string): void;
  /**
   * Repository names served with protocol v0 only: the web server does not pass the client's
   * Git-Protocol header on to git, as Apache and nginx setups do unless configured to.
   */
  v0Only: Set<string>;
  /** Repository names whose refs listing or clone is sent one byte every 100 ms, as a hostile host would. */
  dribbles: Map<string, 'refs' | 'fetch'>;
  createRepo(name: string, files: RepoFiles, options?: { date?: string; allowFilter?: boolean }): Promise<TestRepo>;
  repoUrl(name: string): string;
  close(): Promise<void>;
};

let backendPath: string | undefined;

/**
 * The `git-http-backend` program itself, from git's exec path: `git http-backend` would start the
 * `git` wrapper only for it to exec this program, one process more per request (~5 ms here).
 */
function httpBackend(): string {
  backendPath ??= join(execFileSync('git', ['--exec-path'], { encoding: 'utf8' }).trim(), 'git-http-backend');
  return backendPath;
}

/** How a dribbling host answers: one byte every 100 ms (10 bytes per second). */
const DRIBBLE_MS = 100;

/** A response writer that sends what it is given one byte at a time. */
function dribbler(res: ServerResponse) {
  const queue: Buffer[] = [];
  let ending = false;
  const timer = setInterval(() => {
    const head = queue[0];
    if (head) {
      res.write(head.subarray(0, 1));
      if (head.length > 1) queue[0] = head.subarray(1);
      else queue.shift();
    } else if (ending) {
      clearInterval(timer);
      res.end();
    }
  }, DRIBBLE_MS);
  res.on('close', () => clearInterval(timer));
  return { write: (chunk: Buffer) => queue.push(chunk), end: () => (ending = true) };
}

function serveCgi(
  root: string,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  query: string,
  options: { body?: Buffer; v2: boolean; dribble?: boolean },
) {
  const { body } = options;
  const out = options.dribble ? dribbler(res) : { write: (chunk: Buffer) => res.write(chunk), end: () => res.end() };
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    GIT_PROJECT_ROOT: root,
    GIT_HTTP_EXPORT_ALL: '1',
    GIT_CONFIG_NOSYSTEM: '1',
    HOME: root,
    PATH_INFO: path,
    QUERY_STRING: query,
    REQUEST_METHOD: req.method ?? 'GET',
    CONTENT_TYPE: req.headers['content-type'] ?? '',
    REMOTE_ADDR: '127.0.0.1',
    SERVER_PROTOCOL: 'HTTP/1.1',
  };
  if (body) env.CONTENT_LENGTH = String(body.length);
  else if (req.headers['content-length']) env.CONTENT_LENGTH = req.headers['content-length'];
  // Protocol v2 is negotiated through this header; http-backend reads it from GIT_PROTOCOL.
  const protocol = req.headers['git-protocol'];
  if (typeof protocol === 'string' && options.v2) env.GIT_PROTOCOL = protocol;
  if (req.headers['content-encoding']) env.HTTP_CONTENT_ENCODING = String(req.headers['content-encoding']);
  const child = spawn(httpBackend(), [], { env });
  // git-http-backend may exit before reading the request (a repository that is gone).
  child.stdin.on('error', () => {});
  if (body) child.stdin.end(body);
  else req.pipe(child.stdin);
  let head = Buffer.alloc(0);
  let headersDone = false;
  child.stdout.on('data', (chunk: Buffer) => {
    if (headersDone) {
      out.write(chunk);
      return;
    }
    head = Buffer.concat([head, chunk]);
    let end = head.indexOf('\r\n\r\n');
    let sep = 4;
    if (end < 0) {
      end = head.indexOf('\n\n');
      sep = 2;
    }
    if (end < 0) return;
    headersDone = true;
    let status = 200;
    for (const line of head.subarray(0, end).toString('latin1').split(/\r?\n/)) {
      const colon = line.indexOf(':');
      const key = line.slice(0, colon).trim();
      const value = line.slice(colon + 1).trim();
      if (key.toLowerCase() === 'status') status = parseInt(value, 10);
      else if (key) res.setHeader(key, value);
    }
    res.statusCode = status;
    res.flushHeaders();
    out.write(head.subarray(end + sep));
  });
  child.stdout.on('end', () => out.end());
  child.on('error', () => {
    res.statusCode = 500;
    res.end();
  });
}

/** A real smart-HTTP git server on loopback: Node's http in front of `git http-backend` (CGI). */
export async function startGitServer(): Promise<GitServer> {
  const root = await mkdtemp(join(tmpdir(), 'transferhub-git-'));
  const requests: string[] = [];
  const renames = new Map<string, string>();
  const failures = new Map<string, number>();
  const stalls = new Set<string>();
  const laterStalls = new Map<string, number>();
  const fetches = new Map<string, number>();
  const v0Only = new Set<string>();
  const dribbles = new Map<string, 'refs' | 'fetch'>();
  const held: { name: string; answer: () => void }[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = decodeURIComponent(url.pathname);
    const entry = requests.push(`${req.method} ${path}`) - 1;
    // Tell a clone (`command=fetch`) from a refs listing (`command=ls-refs`): both POST to git-upload-pack.
    // Protocol v0 knows only one POST, the clone, which starts with its wants.
    req.once('data', (chunk: Buffer) => {
      const text = chunk.toString('latin1');
      const command = /command=([\w-]+)/.exec(text)?.[1] ?? (/^[0-9a-f]{4}want /.test(text) ? 'fetch' : undefined);
      if (command) requests[entry] += ` (${command})`;
    });
    for (const [from, to] of renames) {
      if (path.startsWith(`/${from}.git/`) || path.startsWith(`/${from}/`)) {
        const rest = path.slice(path.indexOf('/', from.length + 1));
        res.writeHead(301, { location: `/${to}.git${rest}${url.search}` }).end();
        req.resume();
        return;
      }
    }
    for (const [name, status] of failures) {
      if (path.startsWith(`/${name}.git/`) || path.startsWith(`/${name}/`)) {
        res.writeHead(status, { 'content-type': 'text/plain' }).end('nope');
        req.resume();
        return;
      }
    }
    const v2 = ![...v0Only].some((name) => path.startsWith(`/${name}.git/`) || path.startsWith(`/${name}/`));
    const stalled = [...stalls, ...laterStalls.keys()].find((name) => path === `/${name}.git/git-upload-pack` || path === `/${name}/git-upload-pack`);
    const dribbled = [...dribbles].find(([name]) => path.startsWith(`/${name}.git/`) || path.startsWith(`/${name}/`))?.[1];
    if (dribbled === 'refs' && path.endsWith('/info/refs')) {
      serveCgi(root, req, res, path, url.search.slice(1), { v2, dribble: true });
      return;
    }
    if (!stalled && dribbled === undefined) {
      serveCgi(root, req, res, path, url.search.slice(1), { v2 });
      return;
    }
    const parts: Buffer[] = [];
    req.on('data', (chunk: Buffer) => parts.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(parts);
      const fetch = /command=fetch/.test(body.toString('latin1')) || /^[0-9a-f]{4}want /.test(body.toString('latin1'));
      const seen = fetch && stalled ? (fetches.get(stalled) ?? 0) + 1 : 0;
      if (seen > 0) fetches.set(stalled!, seen);
      if (fetch && stalled && (stalls.has(stalled) || seen >= laterStalls.get(stalled)!)) held.push({ name: stalled, answer: () => serveCgi(root, req, res, path, url.search.slice(1), { body, v2 }) });
      else {
        const dribble = dribbled === (fetch ? 'fetch' : /command=ls-refs/.test(body.toString('latin1')) ? 'refs' : null);
        serveCgi(root, req, res, path, url.search.slice(1), { body, v2, dribble });
      }
    });
  });
  // Keep-alive connections from fetch would hold close() open.
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const work = await mkdtemp(join(tmpdir(), 'transferhub-work-'));

  return {
    url,
    root,
    requests,
    renames,
    failures,
    stalls,
    laterStalls,
    releaseStall(name) {
      stalls.delete(name);
      laterStalls.delete(name);
      for (const entry of held.filter((e) => e.name === name)) {
        held.splice(held.indexOf(entry), 1);
        entry.answer();
      }
    },
    v0Only,
    dribbles,
    repoUrl: (name) => `${url}/${name}`,
    async createRepo(name, files, options = {}) {
      const workDir = join(work, name);
      const bareDir = join(root, `${name}.git`);
      await mkdir(workDir, { recursive: true });
      await git(workDir, ['init', '-q', '-b', 'main']);
      await git(workDir, ['config', 'core.autocrlf', 'false']);
      await mkdir(bareDir, { recursive: true });
      await git(bareDir, ['init', '-q', '--bare', '-b', 'main']);
      // Forges (GitHub, GitLab, Gitea) allow partial-clone filters; plain servers may not.
      if (options.allowFilter !== false) await git(bareDir, ['config', 'uploadpack.allowFilter', 'true']);
      const repo = new TestRepo(name, workDir, bareDir);
      await repo.commit(files, 'Erster Stand', options.date);
      await repo.push();
      return repo;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(root, { recursive: true, force: true });
      await rm(work, { recursive: true, force: true });
    },
  };
}
