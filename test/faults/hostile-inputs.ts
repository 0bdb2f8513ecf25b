/**
 * Hostile requests of the kinds issue 10 fed the API (malformed and oversized bodies, wrong types,
 * markup and script URLs, injection strings, broken encodings, bad credentials). Every one of them
 * must be refused with a 4xx: accepted would be a validation hole, a 5xx a crash path.
 */
export type HostileRequest = { method: string; path: string; body?: string; contentType?: string; anonymous?: boolean };

const json = (value: unknown) => JSON.stringify(value);
/** A lone surrogate has no UTF-8 form: it goes into a URL as the bytes a broken client would send. */
const encode = (text: string) => {
  try {
    return encodeURIComponent(text);
  } catch {
    return '%ED%A0%80';
  }
};

/** Strings that have broken parsers, SQL, HTML or logs somewhere. */
const NASTY = [
  "'; DROP TABLE software; --",
  '" OR 1=1 --',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '\u0000null byte',
  '\uD800 lone surrogate',
  '%00%2e%2e%2f',
  '../../../etc/passwd',
  '${jndi:ldap://x/a}',
  '{{7*7}}',
  'a'.repeat(100_000),
  '\u202Eright-to-left override',
];

/** URLs that must never be stored as a link or crawled. */
const BAD_URLS = [
  'javascript:alert(1)',
  'JaVaScRiPt:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'vbscript:msgbox(1)',
  'file:///etc/passwd',
  '//evil.example/x',
  'http://',
  'not a url',
  `https://example.org/${'x'.repeat(5000)}`,
];

export function hostileRequests(organisationId: string): HostileRequest[] {
  const requests: HostileRequest[] = [];
  const post = (path: string, body: string, contentType?: string) => requests.push({ method: 'POST', path, body, contentType });

  // Bodies that are not the JSON they claim to be.
  for (const body of ['{', '{"name": "x",}', 'null', '[]', '"text"', '12', '\xff\xfe\x00{', '{"name":"x"}garbage']) post('/v1/organisations', body);
  post('/v1/organisations', 'name=x&kind=municipality', 'application/x-www-form-urlencoded');
  post('/v1/organisations', '<organisation/>', 'application/xml');
  // 100 levels of nesting and a body past the size limit.
  post('/v1/organisations', `${'{"a":'.repeat(100)}1${'}'.repeat(100)}`);
  post('/v1/organisations', json({ name: 'x'.repeat(2_000_000), kind: 'municipality' }));
  // Prototype pollution and unknown members.
  post('/v1/organisations', '{"name":"Proto","kind":"municipality","__proto__":{"admin":true}}');
  post('/v1/organisations', json({ name: 'Proto', kind: 'municipality', constructor: { prototype: { admin: true } } }));
  // Wrong types and values.
  for (const body of [
    { name: 1, kind: 'municipality' },
    { name: 'Typ', kind: 'castle' },
    { name: 'Typ', kind: 'municipality', cohortYear: 'zweitausend' },
    { name: 'Typ', kind: 'municipality', cohortYear: 1e308 },
    { name: 'Typ', kind: 'municipality', ags: '12ab' },
    { name: 'Typ', kind: 'municipality', memberKeys: 'not-a-list' },
    { name: '', kind: 'municipality' },
  ]) {
    post('/v1/organisations', json(body));
  }
  for (const url of BAD_URLS) {
    post('/v1/organisations', json({ name: 'Link', kind: 'municipality', website: url }));
    post('/v1/organisations', json({ name: 'Link', kind: 'municipality', codeHosting: [{ url, kind: 'gitlab' }] }));
    post('/v1/repositories', json({ url, organisationId }));
  }
  for (const nasty of NASTY) {
    requests.push({ method: 'GET', path: `/v1/software/${encode(nasty)}` });
    requests.push({ method: 'GET', path: `/v1/organisations/${encode(nasty)}` });
    requests.push({ method: 'GET', path: `/v1/software?limit=${encode(nasty)}` });
    requests.push({ method: 'GET', path: `/v1/software?cursor=${encode(nasty)}` });
    post('/v1/repositories', json({ url: nasty, organisationId }));
    post('/v1/repositories', json({ url: 'https://example.org/stadt/app.git', organisationId: nasty }));
  }
  // Lists asked for absurd pages, sorts and filters.
  for (const query of ['limit=-1', 'limit=1000000', 'limit=1.5', 'sort=name;DROP', 'licence=%00', 'from=gestern']) {
    requests.push({ method: 'GET', path: `/v1/software?${query}` });
    requests.push({ method: 'GET', path: `/v1/audit-events?${query}` });
  }
  // Bad credentials on a write: no token is a 401, a forged one too.
  for (const authorization of ['Bearer ', 'Bearer thub_forged', 'Basic YWRtaW46YWRtaW4=', `Bearer ${'x'.repeat(5000)}`]) {
    requests.push({ method: 'POST', path: '/v1/organisations', body: json({ name: 'Ohne Recht', kind: 'municipality' }), anonymous: true, contentType: `application/json; x=${authorization.length}` });
  }
  // Incoming webhooks without or with a wrong signature.
  for (const forge of ['github', 'gitlab', 'gitea']) {
    requests.push({ method: 'POST', path: `/v1/hooks/${forge}`, body: json({ repository: { clone_url: 'https://example.org/a.git' } }), anonymous: true });
  }
  // Releases of an unknown software and with versions that are no versions.
  for (const version of ['<b>1.0</b>', '', 'latest', '1.0\n2.0', '../1.0']) {
    post('/v1/software/gibt-es-nicht/releases', json({ version, date: '2024-01-01' }));
  }
  // A tool fed the wrong type.
  post('/v1/tools/licence/detect', json({ text: 42 }));
  return requests;
}
