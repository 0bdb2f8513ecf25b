import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, bearer, createTestHub, organisationWithToken, type TestHub } from '../helpers/hub';
import { expectProblem, publisherWithSoftware, queryDatabase } from './fixtures';

let hub: TestHub;
beforeAll(async () => {
  hub = await createTestHub();
});
afterAll(async () => hub?.close());

async function reuseOf(softwareId: string) {
  const reuser = await organisationWithToken(hub.app, ['reuse']);
  const response = await hub.app.inject({ method: 'POST', url: `/v1/software/${softwareId}/reuses`, headers: bearer(reuser.token), payload: { status: 'production' } });
  if (response.statusCode !== 201) throw new Error(response.body);
  return { ...reuser, reuseId: response.json().id as string };
}

const report = (softwareId: string, reuseId: string, token: string, body: Record<string, unknown>) =>
  hub.app.inject({ method: 'POST', url: `/v1/software/${softwareId}/reuses/${reuseId}/experience-reports`, headers: bearer(token), payload: body });

const experience = async (software: string) => (await hub.app.inject(`/v1/software/${software}/experience`)).json();

describe('writing experience reports', () => {
  it('the reusing organisation writes several reports; Markdown is rendered and sanitised', async () => {
    const producer = await publisherWithSoftware(hub.app);
    const reuser = await reuseOf(producer.software.id);
    const first = await report(producer.software.id, reuser.reuseId, reuser.token, {
      recommendation: 4,
      effortPersonDays: 12,
      weeksToGoLive: 8,
      runningCostBand: '1–5k',
      hosting: 'municipal IT service provider',
      whatWorked: '**Betrieb beim IT-Dienstleister** lief reibungslos <script>alert(1)</script> [x](javascript:alert(1))',
      version: '2.1.0',
    });
    expect(first.statusCode, first.body).toBe(201);
    const html = first.json().whatWorked.html as string;
    expect(html).toContain('<strong>Betrieb beim IT-Dienstleister</strong>');
    expect(html).not.toMatch(/<script|javascript:/);
    const second = await report(producer.software.id, reuser.reuseId, reuser.token, { recommendation: 5, hosting: 'public cloud' });
    expect(second.statusCode, second.body).toBe(201);
    expect((await experience(producer.software.slug)).items.map((r: { id: string }) => r.id)).toEqual([second.json().id, first.json().id]);
  });

  it('the contact is shown only when the author opts in', async () => {
    const producer = await publisherWithSoftware(hub.app);
    const reuser = await reuseOf(producer.software.id);
    const hidden = await report(producer.software.id, reuser.reuseId, reuser.token, { recommendation: 3, contact: 'digital@example.org' });
    expect(hidden.json().contact).toBeNull();
    const shown = await report(producer.software.id, reuser.reuseId, reuser.token, { recommendation: 3, contact: 'digital@example.org', showContact: true });
    expect(shown.json().contact).toBe('digital@example.org');
  });

  it('only the enums of the issue are accepted for cost band and hosting (400)', async () => {
    const producer = await publisherWithSoftware(hub.app);
    const reuser = await reuseOf(producer.software.id);
    for (const body of [{ recommendation: 3, runningCostBand: '1-5k' }, { recommendation: 3, hosting: 'cloud' }, { recommendation: 6 }]) {
      expectProblem(await report(producer.software.id, reuser.reuseId, reuser.token, body), 400);
    }
  });

  it('the producer cannot write a report on a reuse of its software (403 experience_report.not_reuser)', async () => {
    const producer = await publisherWithSoftware(hub.app);
    const reuser = await reuseOf(producer.software.id);
    const response = await report(producer.software.id, reuser.reuseId, producer.token, { recommendation: 5 });
    expect(expectProblem(response, 403).type).toMatch(/experience_report\.not_reuser$/);
  });
});

describe('answers and hiding', () => {
  it('the producer answers a report once; a second answer is a 409 experience_report.already_answered', async () => {
    const producer = await publisherWithSoftware(hub.app);
    const reuser = await reuseOf(producer.software.id);
    const { id } = (await report(producer.software.id, reuser.reuseId, reuser.token, { recommendation: 2, whatDidNotWork: 'Schnittstelle fehlte' })).json();
    const url = `/v1/software/${producer.software.id}/experience-reports/${id}/answer`;
    const answered = await hub.app.inject({ method: 'POST', url, headers: bearer(producer.token), payload: { answer: 'Die Schnittstelle kommt mit *Version 3*.' } });
    expect(answered.statusCode, answered.body).toBe(200);
    expect(answered.json().answer).toMatchObject({ markdown: 'Die Schnittstelle kommt mit *Version 3*.', html: expect.stringContaining('<em>Version 3</em>') });
    const again = await hub.app.inject({ method: 'POST', url, headers: bearer(producer.token), payload: { answer: 'Nachtrag' } });
    expect(expectProblem(again, 409).type).toMatch(/experience_report\.already_answered$/);
    const byReuser = await hub.app.inject({ method: 'POST', url, headers: bearer(reuser.token), payload: { answer: 'Selbst beantwortet' } });
    expectProblem(byReuser, 403);
  });

  it('the admin hides an abusive report with a reason: gone from list and aggregates, reason in the audit log', async () => {
    const producer = await publisherWithSoftware(hub.app);
    const reuser = await reuseOf(producer.software.id);
    const { id } = (await report(producer.software.id, reuser.reuseId, reuser.token, { recommendation: 1, whatWorked: 'Beleidigung' })).json();
    await report(producer.software.id, reuser.reuseId, reuser.token, { recommendation: 5 });
    const url = `/v1/software/${producer.software.id}/experience-reports/${id}/hide`;
    expectProblem(await hub.app.inject({ method: 'POST', url, headers: bearer(producer.token), payload: { reason: 'Beleidigend' } }), 403);
    const hidden = await hub.app.inject({ method: 'POST', url, headers: admin, payload: { reason: 'Beleidigend' } });
    expect(hidden.statusCode, hidden.body).toBe(204);
    const after = await experience(producer.software.id);
    expect(after.items).toHaveLength(1);
    expect(after.aggregates).toMatchObject({ reports: 1, meanRecommendation: 5 });
    const [event] = await queryDatabase<{ detail: { reason: string } }>(hub, "select detail from audit_event where action = 'experience_report.hide' and entity_id = $1", [id]);
    expect(event!.detail.reason).toBe('Beleidigend');
  });
});

describe('unhiding', () => {
  async function hiddenReport() {
    const producer = await publisherWithSoftware(hub.app);
    const reuser = await reuseOf(producer.software.id);
    const { id } = (await report(producer.software.id, reuser.reuseId, reuser.token, { recommendation: 2, whatWorked: 'Sachliche Kritik' })).json();
    const hidden = await hub.app.inject({ method: 'POST', url: `/v1/software/${producer.software.id}/experience-reports/${id}/hide`, headers: admin, payload: { reason: 'Irrtümlich gemeldet' } });
    expect(hidden.statusCode, hidden.body).toBe(204);
    return { producer, reuser, id: id as string, url: `/v1/software/${producer.software.id}/experience-reports/${id}/unhide` };
  }

  it('the admin unhides a hidden report with a reason: back in list and aggregates, reason in the audit log', async () => {
    const { producer, id, url } = await hiddenReport();
    expect((await experience(producer.software.id)).items).toHaveLength(0);
    const shown = await hub.app.inject({ method: 'POST', url, headers: admin, payload: { reason: 'Nach Prüfung sachlich' } });
    expect(shown.statusCode, shown.body).toBe(204);
    const after = await experience(producer.software.slug);
    expect(after.items.map((r: { id: string }) => r.id)).toEqual([id]);
    expect(after.aggregates).toMatchObject({ reports: 1, meanRecommendation: 2 });
    const [event] = await queryDatabase<{ detail: { reason: string; hiddenReason: string } }>(
      hub,
      "select detail from audit_event where action = 'experience_report.unhide' and entity_id = $1",
      [id],
    );
    expect(event!.detail).toEqual({ reason: 'Nach Prüfung sachlich', hiddenReason: 'Irrtümlich gemeldet' });
  });

  it('a report that is not hidden is a 409 experience_report.not_hidden, and nothing is audited', async () => {
    const { url } = await hiddenReport();
    expect((await hub.app.inject({ method: 'POST', url, headers: admin, payload: { reason: 'Erstes Mal' } })).statusCode).toBe(204);
    const again = await hub.app.inject({ method: 'POST', url, headers: admin, payload: { reason: 'Zweites Mal' } });
    expect(expectProblem(again, 409).type).toMatch(/experience_report\.not_hidden$/);
    const rows = await queryDatabase(hub, "select 1 from audit_event where action = 'experience_report.unhide' and detail->>'reason' = 'Zweites Mal'");
    expect(rows).toHaveLength(0);
  });

  it('the reason is required (400), and neither the producer nor the reuser may unhide (403)', async () => {
    const { producer, reuser, url } = await hiddenReport();
    expectProblem(await hub.app.inject({ method: 'POST', url, headers: admin, payload: {} }), 400);
    expectProblem(await hub.app.inject({ method: 'POST', url, headers: bearer(producer.token), payload: { reason: 'Meine Software' } }), 403);
    expectProblem(await hub.app.inject({ method: 'POST', url, headers: bearer(reuser.token), payload: { reason: 'Mein Bericht' } }), 403);
    expect((await experience(producer.software.id)).items).toHaveLength(0);
  });

  it('an unknown report, a report of other software, or unknown software is a 404', async () => {
    const { id } = await hiddenReport();
    const other = await publisherWithSoftware(hub.app);
    for (const url of [
      `/v1/software/${other.software.id}/experience-reports/00000000-0000-4000-8000-000000000000/unhide`,
      `/v1/software/${other.software.id}/experience-reports/${id}/unhide`,
      `/v1/software/keine-solche-software/experience-reports/${id}/unhide`,
      `/v1/software/${other.software.id}/experience-reports/kein-bericht/unhide`,
    ]) {
      expectProblem(await hub.app.inject({ method: 'POST', url, headers: admin, payload: { reason: 'Prüfung' } }), 404);
    }
  });
});

describe('aggregates', () => {
  it('count, medians, distributions and the mean recommendation come from the reports', async () => {
    const producer = await publisherWithSoftware(hub.app);
    const a = await reuseOf(producer.software.id);
    const b = await reuseOf(producer.software.id);
    await report(producer.software.id, a.reuseId, a.token, { recommendation: 4, effortPersonDays: 10, weeksToGoLive: 4, hosting: 'own data centre', runningCostBand: '<1k' });
    await report(producer.software.id, a.reuseId, a.token, { recommendation: 5, effortPersonDays: 20, weeksToGoLive: 12, hosting: 'own data centre', runningCostBand: '1–5k' });
    await report(producer.software.id, b.reuseId, b.token, { recommendation: 2, effortPersonDays: 60, hosting: 'SaaS by a vendor', runningCostBand: '1–5k' });
    const { aggregates } = await experience(producer.software.slug);
    expect(aggregates).toEqual({
      reports: 3,
      medianEffortPersonDays: 20,
      medianWeeksToGoLive: 8,
      meanRecommendation: 3.67,
      hosting: [
        { value: 'own data centre', count: 2 },
        { value: 'SaaS by a vendor', count: 1 },
      ],
      runningCostBand: [
        { value: '1–5k', count: 2 },
        { value: '<1k', count: 1 },
      ],
    });
  });

  it('software without reports has empty aggregates', async () => {
    const producer = await publisherWithSoftware(hub.app);
    expect((await experience(producer.software.id)).aggregates).toEqual({
      reports: 0,
      medianEffortPersonDays: null,
      medianWeeksToGoLive: null,
      meanRecommendation: null,
      hosting: [],
      runningCostBand: [],
    });
  });
});
