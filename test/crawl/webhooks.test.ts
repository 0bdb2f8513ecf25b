import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHub, admin, bearer, organisationWithToken, type TestHub } from '../helpers/hub';
import { queryDatabase } from '../http/fixtures';
import { QueueUnavailable } from '../../src/lib/errors';

const SECRET = 'ein-geheimnis-der-stadt-1234';
let hub: TestHub;
let organisationId: string;
let publishToken: string;
let repositoryId: string;
const enqueued: unknown[] = [];

beforeAll(async () => {
  hub = await createTestHub();
  const org = await organisationWithToken(hub.app, ['publish']);
  organisationId = org.organisation.id;
  publishToken = org.token;
  // Count what reaches the queue without replacing it; crawls of these hosts would fail anyway.
  const queue = hub.deps.hub.queue;
  queue.enqueue = (async (_contract, payload) => {
    enqueued.push(payload);
    return { jobId: 'counted', deduplicated: false };
  }) as typeof queue.enqueue;
  const registered = await hub.app.inject({
    method: 'POST',
    url: '/v1/repositories',
    headers: admin,
    payload: { url: 'https://github.com/stadt-ulm/maengelmelder', organisationId },
  });
  repositoryId = registered.json().id;
  enqueued.length = 0;
});
afterAll(async () => hub?.close());

let pushes = 0;
/** A push payload; each names a commit of its own, as real pushes do (identical bodies are replays). */
const githubBody = (url: string) => {
  pushes += 1;
  return JSON.stringify({ ref: 'refs/heads/main', after: pushes.toString(16).padStart(40, '0'), repository: { html_url: url, clone_url: `${url}.git` } });
};
const sign = (body: string, secret = SECRET) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

async function github(body: string, headers: Record<string, string>) {
  return hub.app.inject({ method: 'POST', url: '/v1/hooks/github', payload: body, headers: { 'content-type': 'application/json', 'x-github-event': 'push', ...headers } });
}

describe('forge webhooks', () => {
  it('only an admin sets the webhook secret of an organisation', async () => {
    const denied = await hub.app.inject({ method: 'PUT', url: `/v1/organisations/${organisationId}/webhook-secret`, headers: bearer(publishToken), payload: { secret: SECRET } });
    expect(denied.statusCode).toBe(403);
    const set = await hub.app.inject({ method: 'PUT', url: `/v1/organisations/${organisationId}/webhook-secret`, headers: admin, payload: { secret: SECRET } });
    expect(set.statusCode).toBe(204);
  });

  it('a GitHub push with a valid signature queues a crawl of the repository', async () => {
    const body = githubBody('https://github.com/stadt-ulm/maengelmelder');
    const response = await github(body, { 'x-hub-signature-256': sign(body) });
    expect(response.statusCode).toBe(202);
    expect(response.json()).toMatchObject({ enqueued: true });
    expect(enqueued.at(-1)).toEqual({ repositoryId, reason: 'webhook', requestedAt: expect.any(String) });
  });

  it('a push resumes a repository paused after repeated failures, but not one whose software is deactivated', async () => {
    const body = githubBody('https://github.com/stadt-ulm/maengelmelder');
    await queryDatabase(hub, `update repository set crawl_state = 'failed', paused_reason = 'repeated-failures', paused_at = now() where id = $1`, [repositoryId]);
    expect((await github(body, { 'x-hub-signature-256': sign(body) })).json()).toMatchObject({ enqueued: true });
    expect((await hub.app.inject(`/v1/repositories/${repositoryId}`)).json().crawl).toMatchObject({ state: 'queued', paused: null });

    const { softwareId } = (await hub.app.inject(`/v1/repositories/${repositoryId}`)).json();
    expect((await hub.app.inject({ method: 'DELETE', url: `/v1/software/${softwareId}`, headers: bearer(publishToken) })).statusCode).toBe(204);
    const before = enqueued.length;
    const ignored = await github(body, { 'x-hub-signature-256': sign(body) });
    expect(ignored.statusCode).toBe(202);
    expect(ignored.json()).toMatchObject({ enqueued: false, reason: 'software entry deactivated' });
    expect(enqueued.length).toBe(before);
    await hub.app.inject({ method: 'PATCH', url: `/v1/software/${softwareId}`, headers: bearer(publishToken), payload: { active: true } });
  });

  it('a wrong or missing GitHub signature gets 401 and queues nothing', async () => {
    const before = enqueued.length;
    const body = githubBody('https://github.com/stadt-ulm/maengelmelder');
    expect((await github(body, { 'x-hub-signature-256': sign(body, 'falsches-geheimnis-123456') })).statusCode).toBe(401);
    expect((await github(body, {})).statusCode).toBe(401);
    // a signature over another body
    expect((await github(body, { 'x-hub-signature-256': sign(`${body} `) })).statusCode).toBe(401);
    expect(enqueued.length).toBe(before);
  });

  it('an unknown repository is acknowledged with 202 and nothing is queued', async () => {
    const before = enqueued.length;
    const body = githubBody('https://github.com/anderswo/unbekannt');
    const response = await github(body, { 'x-hub-signature-256': sign(body) });
    expect(response.statusCode).toBe(202);
    expect(response.json()).toMatchObject({ enqueued: false });
    expect(enqueued.length).toBe(before);
  });

  it('a GitHub webhook with the form content type (payload=…) is verified over the form body', async () => {
    const form = `payload=${encodeURIComponent(githubBody('https://github.com/stadt-ulm/maengelmelder'))}`;
    const formHeaders = { 'content-type': 'application/x-www-form-urlencoded' };
    const before = enqueued.length;
    expect((await github(form, { ...formHeaders, 'x-hub-signature-256': sign(`${form}x`) })).statusCode).toBe(401);
    const ok = await github(form, { ...formHeaders, 'x-hub-signature-256': sign(form) });
    expect(ok.statusCode, ok.body).toBe(202);
    expect(ok.json()).toMatchObject({ enqueued: true });
    expect(enqueued.length).toBe(before + 1);
    const empty = await github('other=1', { ...formHeaders, 'x-hub-signature-256': sign('other=1') });
    expect(empty.statusCode).toBe(400);
  });

  it('Gitea and Forgejo webhooks are verified by their hex signature header', async () => {
    const url = 'https://git.stadt-jena.example/it/buergerportal';
    await hub.app.inject({ method: 'POST', url: '/v1/repositories', headers: admin, payload: { url, organisationId } });
    const body = JSON.stringify({ ref: 'refs/tags/v2.0.0', repository: { html_url: url, clone_url: `${url}.git` } });
    const hex = (text: string, secret = SECRET) => createHmac('sha256', secret).update(text).digest('hex');
    const gitea = (headers: Record<string, string>) =>
      hub.app.inject({ method: 'POST', url: '/v1/hooks/gitea', payload: body, headers: { 'content-type': 'application/json', ...headers } });
    const before = enqueued.length;
    expect((await gitea({ 'x-gitea-event': 'create' })).statusCode).toBe(401);
    expect((await gitea({ 'x-gitea-event': 'create', 'x-gitea-signature': hex(body, 'falsches-geheimnis-123456') })).statusCode).toBe(401);
    expect(enqueued.length).toBe(before);
    const ok = await gitea({ 'x-gitea-event': 'create', 'x-gitea-signature': hex(body) });
    expect(ok.statusCode, ok.body).toBe(202);
    expect(ok.json()).toMatchObject({ enqueued: true });
    const forgejo = await gitea({ 'x-forgejo-event': 'push', 'x-forgejo-signature': hex(body) });
    expect(forgejo.json()).toMatchObject({ enqueued: true });
    const issues = await gitea({ 'x-gitea-event': 'issues', 'x-gitea-signature': hex(body) });
    expect(issues.json()).toMatchObject({ enqueued: false, reason: 'event issues ignored' });
    expect(enqueued.length).toBe(before + 2);
  });

  it('a GitLab tag push with the right X-Gitlab-Token queues a crawl, a wrong token gets 401', async () => {
    const body = JSON.stringify({ object_kind: 'tag_push', project: { web_url: 'https://github.com/stadt-ulm/maengelmelder' } });
    const send = (token?: string) =>
      hub.app.inject({
        method: 'POST',
        url: '/v1/hooks/gitlab',
        payload: body,
        headers: { 'content-type': 'application/json', 'x-gitlab-event': 'Tag Push Hook', ...(token ? { 'x-gitlab-token': token } : {}) },
      });
    const before = enqueued.length;
    expect((await send('falsch-falsch-falsch-falsch')).statusCode).toBe(401);
    expect((await send()).statusCode).toBe(401);
    expect(enqueued.length).toBe(before);
    const ok = await send(SECRET);
    expect(ok.statusCode).toBe(202);
    expect(enqueued.length).toBe(before + 1);
  });

  it('200 replays of one signed GitHub delivery queue one crawl; the replays are answered 200 with duplicate: true', async () => {
    const before = enqueued.length;
    const body = githubBody('https://github.com/stadt-ulm/maengelmelder');
    const headers = { 'x-hub-signature-256': sign(body), 'x-github-delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958' };
    const answers = [];
    for (let i = 0; i < 200; i++) answers.push(await github(body, headers));
    expect(answers[0]!.statusCode).toBe(202);
    expect(answers.slice(1).map((answer) => answer.statusCode)).toEqual(Array(199).fill(200));
    expect(answers[1]!.json()).toMatchObject({ enqueued: false, duplicate: true });
    expect(enqueued.length).toBe(before + 1);
  });

  it('a replay under made-up delivery ids is still refused: the signed body was seen', async () => {
    const before = enqueued.length;
    const body = githubBody('https://github.com/stadt-ulm/maengelmelder');
    for (let i = 0; i < 20; i++) await github(body, { 'x-hub-signature-256': sign(body), 'x-github-delivery': `erfunden-${i}` });
    expect(enqueued.length).toBe(before + 1);
  });

  it('a delivery that failed with 503 (queue away) is not taken for a replay when the forge retries it', async () => {
    const queue = hub.deps.hub.queue;
    const counting = queue.enqueue;
    queue.enqueue = (async () => {
      throw new QueueUnavailable();
    }) as typeof queue.enqueue;
    const body = githubBody('https://github.com/stadt-ulm/maengelmelder');
    const headers = { 'x-hub-signature-256': sign(body), 'x-github-delivery': 'retry-after-outage' };
    try {
      expect((await github(body, headers)).statusCode).toBe(503);
    } finally {
      queue.enqueue = counting;
    }
    const retried = await github(body, headers);
    expect(retried.statusCode).toBe(202);
    expect(retried.json()).toMatchObject({ enqueued: true });
  });

  it('a GitLab or Gitea delivery id seen before queues nothing, even with another body', async () => {
    const before = enqueued.length;
    const gitlab = (body: string) =>
      hub.app.inject({
        method: 'POST',
        url: '/v1/hooks/gitlab',
        payload: body,
        headers: { 'content-type': 'application/json', 'x-gitlab-event': 'Push Hook', 'x-gitlab-token': SECRET, 'x-gitlab-event-uuid': '13792a34-cac6-4fda-95a8-c58e00a3954e' },
      });
    const project = { web_url: 'https://github.com/stadt-ulm/maengelmelder' };
    expect((await gitlab(JSON.stringify({ object_kind: 'push', after: 'a1', project }))).statusCode).toBe(202);
    const replay = await gitlab(JSON.stringify({ object_kind: 'push', after: 'a2', project }));
    expect(replay.statusCode).toBe(200);
    expect(replay.json()).toMatchObject({ duplicate: true });

    const body = githubBody('https://github.com/stadt-ulm/maengelmelder');
    const gitea = (headers: Record<string, string>) =>
      hub.app.inject({ method: 'POST', url: '/v1/hooks/gitea', payload: body, headers: { 'content-type': 'application/json', 'x-gitea-signature': sign(body).slice(7), ...headers } });
    expect((await gitea({ 'x-gitea-event': 'push', 'x-gitea-delivery': 'd-1' })).statusCode).toBe(202);
    expect((await gitea({ 'x-forgejo-event': 'push', 'x-forgejo-delivery': 'd-1' })).statusCode).toBe(200);
    expect(enqueued.length).toBe(before + 2);
  });

  it('an on-demand crawl needs the publish token of the repository\'s organisation', async () => {
    const other = await organisationWithToken(hub.app, ['publish']);
    expect((await hub.app.inject({ method: 'POST', url: `/v1/repositories/${repositoryId}/crawl` })).statusCode).toBe(401);
    expect((await hub.app.inject({ method: 'POST', url: `/v1/repositories/${repositoryId}/crawl`, headers: bearer(other.token) })).statusCode).toBe(403);
    const ok = await hub.app.inject({ method: 'POST', url: `/v1/repositories/${repositoryId}/crawl`, headers: bearer(publishToken) });
    expect(ok.statusCode).toBe(202);
    expect(ok.json()).toMatchObject({ id: repositoryId, crawl: { state: 'queued' } });
  });
});

describe('webhook replays in server mode', () => {
  it('two API processes on one Redis share the delivery ids: a replay to the other process queues nothing', async () => {
    const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
    const prefix = `th-test-replay-${Math.random().toString(36).slice(2, 8)}`;
    const hubs = [await createTestHub({ REDIS_URL, HUB_QUEUE_PREFIX: prefix }), await createTestHub({ REDIS_URL, HUB_QUEUE_PREFIX: prefix })];
    try {
      const url = 'https://github.com/stadt-ulm/mitmachportal';
      // Each test hub has a database of its own: the same organisation secret and repository in both.
      for (const each of hubs) {
        const org = await organisationWithToken(each.app, ['publish']);
        await each.app.inject({ method: 'PUT', url: `/v1/organisations/${org.organisation.id}/webhook-secret`, headers: admin, payload: { secret: SECRET } });
        await each.app.inject({ method: 'POST', url: '/v1/repositories', headers: admin, payload: { url, organisationId: org.organisation.id } });
        const redis = each.deps.hub.sharedRedis!;
        if (redis.status !== 'ready') await new Promise((resolve) => redis.once('ready', resolve));
      }
      const body = JSON.stringify({ ref: 'refs/heads/main', after: 'c0ffee', repository: { html_url: url } });
      const deliver = (each: TestHub) =>
        each.app.inject({
          method: 'POST',
          url: '/v1/hooks/github',
          payload: body,
          headers: { 'content-type': 'application/json', 'x-github-event': 'push', 'x-hub-signature-256': sign(body), 'x-github-delivery': 'f0e1d2c3' },
        });
      const first = await deliver(hubs[0]!);
      expect(first.statusCode, first.body).toBe(202);
      expect(first.json()).toMatchObject({ enqueued: true });
      const replay = await deliver(hubs[1]!);
      expect(replay.statusCode, replay.body).toBe(200);
      expect(replay.json()).toMatchObject({ enqueued: false, duplicate: true });
    } finally {
      for (const each of hubs) await each.close();
    }
  });
});
