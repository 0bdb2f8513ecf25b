import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, admin, bearer, createTestHub, organisationWithToken, type TestHub } from '../helpers/hub';

/** Every line the hub logs, at the most verbose level, as the operator's log collector would keep it. */
let lines: string[] = [];
const sink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  },
});

let hub: TestHub;
beforeAll(async () => {
  hub = await createTestHub({ LOG_LEVEL: 'trace' }, { log: sink });
});
afterAll(async () => hub?.close());

const planted = (label: string) => `${label}-${randomBytes(12).toString('hex')}`;

/** The planted values found anywhere in the captured lines (raw, so escaped copies count too). */
function leaks(secrets: string[]) {
  return secrets.flatMap((secret) => lines.filter((line) => line.includes(secret)).map((line) => ({ secret, line })));
}

describe('secrets never reach the logs', () => {
  it('tokens, webhook secrets and the parameters of failing queries are absent from every log line', async () => {
    lines = [];
    const { organisation, token } = await organisationWithToken(hub.app, ['publish']);
    const webhookSecret = planted('whsec');
    const rejectedSecret = planted('whsec-nul');
    const storedName = planted('name-nul');
    const gitlabToken = planted('glpat');

    // The admin token and an organisation token travel in Authorization headers.
    expect((await hub.app.inject({ method: 'GET', url: '/v1/organisations', headers: admin })).statusCode).toBe(200);
    await hub.app.inject({ method: 'POST', url: `/v1/organisations/${organisation.id}/tokens`, headers: bearer(token), payload: { scopes: ['admin'] } });
    await hub.app.inject({ method: 'GET', url: '/v1/organisations', headers: { ...bearer(token), cookie: `session=${token}` } });
    // A webhook secret stored, and one the database refuses (a NUL character): a query error with the secret as a parameter.
    const stored = await hub.app.inject({ method: 'PUT', url: `/v1/organisations/${organisation.id}/webhook-secret`, headers: admin, payload: { secret: webhookSecret } });
    expect(stored.statusCode).toBe(204);
    const refused = await hub.app.inject({ method: 'PUT', url: `/v1/organisations/${organisation.id}/webhook-secret`, headers: admin, payload: { secret: `${rejectedSecret}\u0000` } });
    expect(refused.statusCode).toBe(400);
    const refusedName = await hub.app.inject({ method: 'POST', url: '/v1/organisations', headers: admin, payload: { name: `${storedName}\u0000`, kind: 'municipality' } });
    expect(refusedName.statusCode).toBe(400);
    // A GitLab webhook carries its secret as a header.
    await hub.app.inject({
      method: 'POST',
      url: '/v1/hooks/gitlab',
      headers: { 'x-gitlab-token': gitlabToken, 'x-gitlab-event': 'Push Hook', 'content-type': 'application/json' },
      payload: { project: { web_url: 'https://gitlab.example/a/b' } },
    });

    // The run logged the failures at all (else the scan below proves nothing).
    expect(lines.some((line) => line.includes('value rejected by the database'))).toBe(true);
    expect(leaks([ADMIN_TOKEN, token, webhookSecret, rejectedSecret, storedName, gitlabToken])).toEqual([]);
  });

  it('a driver error logged by a job or a worker names its SQLSTATE but carries no parameter', async () => {
    lines = [];
    const db = hub.deps.hub.db;
    const logger = hub.deps.hub.logger;
    const duplicate = planted('unique');
    const notUuid = planted('uuid');
    // A unique violation: PostgreSQL's `detail` repeats the value ("Key (x)=(…) already exists").
    const unique = await db
      .transaction(async (tx) => {
        await tx.execute(sql`create temporary table log_probe (x text primary key)`);
        await tx.execute(sql`insert into log_probe values (${duplicate}), (${duplicate})`);
      })
      .catch((error: unknown) => error);
    // A cast error: the message itself quotes the value ('invalid input syntax for type uuid: "…"').
    const cast = await db.execute(sql`select ${notUuid}::uuid`).catch((error: unknown) => error);
    expect(unique).toBeInstanceOf(Error);
    expect(cast).toBeInstanceOf(Error);
    // As the job runners log a failed attempt (src/jobs/in-process-queue.ts, workers/processor.ts).
    logger.warn({ jobId: 'probe', err: unique }, 'job failed, retrying');
    logger.error({ jobId: 'probe', err: cast }, 'job failed');

    expect(lines.map((line) => (JSON.parse(line) as { err?: { code?: string } }).err?.code)).toEqual(['23505', '22P02']);
    expect(leaks([duplicate, notUuid])).toEqual([]);
  });
});
