import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback stand-in for the GitHub REST API and GitLab API v4, answering the endpoints
 * the crawler uses with payloads shaped like the real ones (trimmed to the fields we
 * read plus a few we do not). The real forges are out of reach in tests.
 */
export type ForgeServer = {
  url: string;
  requests: { method: string; path: string; headers: IncomingMessage['headers'] }[];
  /** The next N GitHub API requests get a primary rate-limit 403 with x-ratelimit-reset one second ahead. */
  rateLimitNext(count: number): void;
  close(): Promise<void>;
};

const githubRepo = (owner: string, name: string, origin: string) => ({
  id: 4711,
  node_id: 'R_kgDOExample',
  name,
  full_name: `${owner}/${name}`,
  private: false,
  owner: { login: owner, id: 1, type: 'Organization' },
  html_url: `https://github.com/${owner}/${name}`,
  clone_url: `https://github.com/${owner}/${name}.git`,
  url: `${origin}/repos/${owner}/${name}`,
  description: 'Mängelmelder für Kommunen',
  fork: false,
  homepage: 'https://maengelmelder.example',
  stargazers_count: 42,
  watchers_count: 42,
  forks_count: 7,
  archived: false,
  disabled: false,
  visibility: 'public',
  default_branch: 'main',
  topics: ['smart-city', 'open-source', 'kommune'],
  license: { key: 'eupl-1.2', spdx_id: 'EUPL-1.2' },
});

const githubReleases = [
  {
    id: 1,
    tag_name: 'v1.2.0',
    name: 'Version 1.2.0',
    body: '## Neu\n- Fotos an Meldungen',
    draft: false,
    prerelease: false,
    published_at: '2024-04-01T10:00:00Z',
    assets: [{ id: 9, name: 'maengelmelder-1.2.0.zip', browser_download_url: 'https://github.com/stadt-ulm/maengelmelder/releases/download/v1.2.0/maengelmelder-1.2.0.zip', size: 1024 }],
  },
];

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(status === 304 ? undefined : JSON.stringify(body));
}

export async function startForgeServer(): Promise<ForgeServer> {
  const requests: ForgeServer['requests'] = [];
  let rateLimited = 0;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    requests.push({ method: req.method ?? 'GET', path: url.pathname + url.search, headers: req.headers });
    const path = url.pathname;

    // GitLab API v4
    if (path.startsWith('/api/v4/')) {
      const gl = path.slice('/api/v4'.length);
      const project = (id: number, fullPath: string) => ({
        id,
        path_with_namespace: fullPath,
        web_url: `https://gitlab.example/${fullPath}`,
        http_url_to_repo: `https://gitlab.example/${fullPath}.git`,
        description: 'Ratsinformationssystem',
        topics: ['ris', 'kommune'],
        star_count: 5,
        forks_count: 1,
        archived: fullPath.includes('archiv'),
        visibility: 'public',
        default_branch: 'main',
      });
      if (gl === '/projects/stadt%2Fris' || gl === '/projects/stadt/ris') return json(res, 200, project(12, 'stadt/ris'));
      if (gl.startsWith('/projects/') && gl.endsWith('/releases')) {
        return json(res, 200, [{ tag_name: 'v3.0.0', name: '3.0', description: 'Große Änderungen', released_at: '2024-02-01T00:00:00Z', assets: { links: [{ name: 'paket', url: 'https://gitlab.example/paket' }] } }]);
      }
      const group = /^\/groups\/([^/]+)\/projects$/.exec(gl);
      if (group) {
        // two pages: page 1 has a project of the group and of a subgroup, page 2 an archived one
        const page = url.searchParams.get('page') ?? '1';
        if (url.searchParams.get('include_subgroups') !== 'true') return json(res, 200, []);
        if (page === '1') return json(res, 200, [project(1, 'stadt/ris'), project(2, 'stadt/verkehr/ampel')], { 'x-next-page': '2', 'x-page': '1' });
        return json(res, 200, [project(3, 'stadt/archiv-alt')], { 'x-next-page': '', 'x-page': '2' });
      }
      return json(res, 404, { message: '404 Project Not Found' });
    }

    // GitHub REST API
    if (rateLimited > 0) {
      rateLimited -= 1;
      return json(
        res,
        403,
        { message: 'API rate limit exceeded for 127.0.0.1.', documentation_url: 'https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting' },
        { 'x-ratelimit-limit': '60', 'x-ratelimit-remaining': '0', 'x-ratelimit-used': '60', 'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 1) },
      );
    }
    const repo = /^\/repos\/([^/]+)\/([^/]+)$/.exec(path);
    if (repo) {
      if (repo[2] === 'weg') return json(res, 404, { message: 'Not Found' });
      const etag = '"etag-4711-v1"';
      if (req.headers['if-none-match'] === etag) return json(res, 304, null, { etag });
      return json(res, 200, githubRepo(repo[1]!, repo[2]!, origin), { etag, 'x-ratelimit-remaining': '59' });
    }
    if (/^\/repos\/[^/]+\/[^/]+\/releases$/.test(path)) return json(res, 200, githubReleases);
    const contents = /^\/repos\/[^/]+\/([^/]+)\/contents\/(.+)$/.exec(path);
    if (contents) {
      return contents[1] === 'mit-publiccode' && contents[2] === 'publiccode.yml'
        ? json(res, 200, { type: 'file', name: 'publiccode.yml', path: 'publiccode.yml', encoding: 'base64', content: '' })
        : json(res, 404, { message: 'Not Found' });
    }
    const org = /^\/orgs\/([^/]+)\/repos$/.exec(path);
    if (org) {
      const page = Number(url.searchParams.get('page') ?? '1');
      const all = [
        githubRepo(org[1]!, 'mit-publiccode', origin),
        { ...githubRepo(org[1]!, 'ohne-publiccode', origin) },
        { ...githubRepo(org[1]!, 'archiviert', origin), archived: true },
      ];
      const link = page === 1 ? `<${origin}/orgs/${org[1]}/repos?per_page=100&page=2>; rel="next", <${origin}/orgs/${org[1]}/repos?per_page=100&page=2>; rel="last"` : undefined;
      return json(res, 200, page === 1 ? all.slice(0, 2) : all.slice(2), link ? { link } : {});
    }
    json(res, 404, { message: 'Not Found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    rateLimitNext: (count) => {
      rateLimited = count;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
