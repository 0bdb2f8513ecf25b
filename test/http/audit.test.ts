import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, bearer, createTestHub, organisationWithToken, type TestHub } from '../helpers/hub';
import { queryDatabase } from './fixtures';

/*
 * Every write leaves an audit_event row naming the token (or the admin from the
 * environment), the action and the entity. This file reads the hub's database directly, so it
 * checks the writes independently of the read API (test/http/audit-events.test.ts).
 */
let hub: TestHub;
beforeAll(async () => {
  hub = await createTestHub();
});
afterAll(async () => hub?.close());

type AuditRow = { token_id: string | null; actor: string; action: string; entity_type: string; entity_id: string; detail: unknown };

async function eventsFor(entityId: string) {
  return queryDatabase<AuditRow>(hub, 'select token_id, actor, action, entity_type, entity_id, detail from audit_event where entity_id = $1 order by at', [
    entityId,
  ]);
}

async function tokenIdOf(organisationId: string) {
  const [token] = (await hub.app.inject({ url: `/v1/organisations/${organisationId}/tokens`, headers: admin })).json().items;
  return token.id as string;
}

describe('the audit trail', () => {
  it('creating and updating an organisation by the admin are recorded with the admin as actor', async () => {
    const created = await hub.app.inject({ method: 'POST', url: '/v1/organisations', headers: admin, payload: { name: 'Auditstadt', kind: 'municipality' } });
    const id = created.json().id;
    await hub.app.inject({ method: 'PATCH', url: `/v1/organisations/${id}`, headers: admin, payload: { programme: 'MPSC' } });
    const events = await eventsFor(id);
    expect(events.map((e) => [e.action, e.entity_type, e.token_id])).toEqual([
      ['organisation.create', 'organisation', null],
      ['organisation.update', 'organisation', null],
    ]);
    expect(events[0]!.actor).toContain('HUB_ADMIN_TOKEN');
    expect(events[1]!.detail).toEqual({ fields: ['programme'] });
  });

  it('software, release and repository writes by a publish token name that token', async () => {
    const { organisation, token } = await organisationWithToken(hub.app, ['publish']);
    const tokenId = await tokenIdOf(organisation.id);
    const software = (
      await hub.app.inject({ method: 'POST', url: '/v1/software', headers: bearer(token), payload: { name: 'Auditsoftware', organisationId: organisation.id } })
    ).json();
    await hub.app.inject({ method: 'PATCH', url: `/v1/software/${software.id}`, headers: bearer(token), payload: { licence: 'MIT' } });
    const release = (
      await hub.app.inject({ method: 'POST', url: `/v1/software/${software.id}/releases`, headers: bearer(token), payload: { version: '1.0.0' } })
    ).json();
    await hub.app.inject({ method: 'DELETE', url: `/v1/software/${software.id}`, headers: bearer(token) });
    const repository = (
      await hub.app.inject({
        method: 'POST',
        url: '/v1/repositories',
        headers: bearer(token),
        payload: { url: 'http://127.0.0.1:9/audit/repo', organisationId: organisation.id },
      })
    ).json();

    expect((await eventsFor(software.id)).map((e) => [e.action, e.token_id])).toEqual([
      ['software.create', tokenId],
      ['software.update', tokenId],
      ['software.deactivate', tokenId],
    ]);
    expect((await eventsFor(release.id)).map((e) => [e.action, e.entity_type, e.token_id, e.detail])).toEqual([
      ['release.publish', 'release', tokenId, { version: '1.0.0' }],
    ]);
    expect((await eventsFor(repository.id)).map((e) => [e.action, e.entity_type, e.token_id])).toEqual([
      ['repository.register', 'repository', tokenId],
    ]);
  });

  it('a repeated identical release push writes nothing and leaves no second event', async () => {
    const { organisation, token } = await organisationWithToken(hub.app, ['publish']);
    const software = (
      await hub.app.inject({ method: 'POST', url: '/v1/software', headers: bearer(token), payload: { name: 'Idempotent', organisationId: organisation.id } })
    ).json();
    const push = () => hub.app.inject({ method: 'POST', url: `/v1/software/${software.id}/releases`, headers: bearer(token), payload: { version: '2.0.0', notes: 'x' } });
    const release = (await push()).json();
    expect((await push()).statusCode).toBe(200);
    expect((await eventsFor(release.id)).map((e) => e.action)).toEqual(['release.publish']);
  });

  it('reuse record, update and withdrawal by a reuse token are recorded', async () => {
    const publisher = await organisationWithToken(hub.app, ['publish']);
    const software = (
      await hub.app.inject({ method: 'POST', url: '/v1/software', headers: bearer(publisher.token), payload: { name: 'Auditreuse', organisationId: publisher.organisation.id } })
    ).json();
    const reuser = await organisationWithToken(hub.app, ['reuse']);
    const tokenId = await tokenIdOf(reuser.organisation.id);
    const reuse = (
      await hub.app.inject({ method: 'POST', url: `/v1/software/${software.id}/reuses`, headers: bearer(reuser.token), payload: { status: 'evaluating' } })
    ).json();
    const url = `/v1/software/${software.id}/reuses/${reuse.id}`;
    await hub.app.inject({ method: 'PATCH', url, headers: bearer(reuser.token), payload: { status: 'production' } });
    await hub.app.inject({ method: 'DELETE', url, headers: bearer(reuser.token) });
    expect((await eventsFor(reuse.id)).map((e) => [e.action, e.entity_type, e.token_id])).toEqual([
      ['reuse.record', 'reuse', tokenId],
      ['reuse.update', 'reuse', tokenId],
      ['reuse.withdraw', 'reuse', tokenId],
    ]);
  });

  it('creating and revoking a token are recorded', async () => {
    const { organisation } = await organisationWithToken(hub.app, ['publish']);
    const created = (
      await hub.app.inject({ method: 'POST', url: `/v1/organisations/${organisation.id}/tokens`, headers: admin, payload: { scopes: ['reuse'] } })
    ).json();
    await hub.app.inject({ method: 'DELETE', url: `/v1/organisations/${organisation.id}/tokens/${created.id}`, headers: admin });
    expect((await eventsFor(created.id)).map((e) => [e.action, e.entity_type, e.detail])).toEqual([
      ['token.create', 'api_token', { scopes: ['reuse'] }],
      ['token.revoke', 'api_token', null],
    ]);
  });

  it('a write that fails validation or authorisation leaves no event', async () => {
    const count = async () => Number((await queryDatabase<{ n: string }>(hub, 'select count(*) as n from audit_event'))[0]!.n);
    const before = await count();
    await hub.app.inject({ method: 'POST', url: '/v1/organisations', headers: admin, payload: { name: 'Ohne Art' } });
    await hub.app.inject({ method: 'POST', url: '/v1/organisations', payload: { name: 'Ohne Token', kind: 'other' } });
    await hub.app.inject({ method: 'POST', url: '/v1/organisations', headers: admin, payload: { name: 'Schlechter Schlüssel', kind: 'other', ags: '99999999' } });
    expect(await count()).toBe(before);
  });
});
