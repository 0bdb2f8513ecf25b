import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { bearer, createTestHub, organisationWithToken, type TestHub } from '../helpers/hub';
import { createSoftware, queryDatabase } from './fixtures';

/**
 * Issue 14 §1 with issue 11: confirming or disputing a reuse, writing an experience report and a
 * need finding software each record their webhook event in the outbox, in the write's transaction,
 * for the organisation whose subscriptions receive it.
 */
let hub: TestHub;
let producer: { organisation: { id: string }; token: string };
let softwareId: string;

beforeAll(async () => {
  hub = await createTestHub();
  producer = await organisationWithToken(hub.app, ['publish'], 'Stadt Quellheim');
  softwareId = (await createSoftware(hub.app, producer.token, { organisationId: producer.organisation.id, name: 'Sitzungsdienst Quellheim' })).id;
});
afterAll(async () => hub?.close());

const eventsOf = (type: string) =>
  queryDatabase<{ organisation_id: string; software_id: string | null; data: Record<string, unknown> }>(
    hub,
    'SELECT organisation_id, software_id, data FROM webhook_event WHERE type = $1 ORDER BY created_at',
    [type],
  );

async function recordReuse() {
  const reuser = await organisationWithToken(hub.app, ['reuse']);
  const response = await hub.app.inject({ method: 'POST', url: `/v1/software/${softwareId}/reuses`, headers: bearer(reuser.token), payload: { status: 'production' } });
  expect(response.statusCode, response.body).toBe(201);
  return { reuser, reuseId: response.json().id as string };
}

describe('knowledge-transfer events for outgoing webhooks', () => {
  it('a confirmation and a dispute are events of the producer, carrying the reuse record', async () => {
    const confirmed = await recordReuse();
    const disputed = await recordReuse();
    expect((await hub.app.inject({ method: 'POST', url: `/v1/software/${softwareId}/reuses/${confirmed.reuseId}/confirmation`, headers: bearer(producer.token) })).statusCode).toBe(200);
    const dispute = await hub.app.inject({
      method: 'POST',
      url: `/v1/software/${softwareId}/reuses/${disputed.reuseId}/dispute`,
      headers: bearer(producer.token),
      payload: { reason: 'Nicht bei uns bekannt' },
    });
    expect(dispute.statusCode, dispute.body).toBe(200);
    const [confirmation] = await eventsOf('reuse.confirmed');
    expect(confirmation).toMatchObject({ organisation_id: producer.organisation.id, software_id: softwareId, data: { reuse: { id: confirmed.reuseId } } });
    const [disputeEvent] = await eventsOf('reuse.disputed');
    expect(disputeEvent).toMatchObject({ organisation_id: producer.organisation.id, data: { reuse: { id: disputed.reuseId } } });
  });

  it('an experience report is an event of the producer', async () => {
    const { reuser, reuseId } = await recordReuse();
    const written = await hub.app.inject({
      method: 'POST',
      url: `/v1/software/${softwareId}/reuses/${reuseId}/experience-reports`,
      headers: bearer(reuser.token),
      payload: { recommendation: 4, effortPersonDays: 12, whatWorked: 'Einführung in **zwei Wochen**.' },
    });
    expect(written.statusCode, written.body).toBe(201);
    const [reported] = await eventsOf('experience.reported');
    expect(reported).toMatchObject({ organisation_id: producer.organisation.id, software_id: softwareId, data: { report: { id: written.json().id } } });
  });

  it('a need that finds software is an event of the organisation with the need, once', async () => {
    const city = await organisationWithToken(hub.app, ['reuse'], 'Gemeinde Suchfeld');
    const posted = await hub.app.inject({ method: 'POST', url: '/v1/needs', headers: bearer(city.token), payload: { title: 'Sitzungsdienst', description: 'Gremien und Sitzungen verwalten.' } });
    expect(posted.statusCode, posted.body).toBe(201);
    const [matched] = await vi.waitFor(
      async () => {
        const rows = await eventsOf('need.matched');
        if (rows.length === 0) throw new Error('no need.matched yet');
        return rows;
      },
      { timeout: 20_000, interval: 100 },
    );
    expect(matched).toMatchObject({ organisation_id: city.organisation.id, data: { needId: posted.json().id, matches: [{ softwareId, rank: 1 }] } });
  });
});
