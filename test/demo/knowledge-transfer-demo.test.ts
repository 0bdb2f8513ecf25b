import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoCatalogue } from '../../src/domain/demo/demo-catalogue';
import { loadKnowledgeTransferDemo } from '../../src/domain/demo/knowledge-transfer-demo';
import { queryDatabase } from '../http/fixtures';
import { createTestHub, type TestHub } from '../helpers/hub';

let hub: TestHub;
beforeAll(async () => {
  hub = await createTestHub();
});
afterAll(async () => hub?.close());

describe('the demo knowledge-transfer data', { timeout: 120_000 }, () => {
  it('adds confirmed and self-declared reuses, German experience reports and two matched needs, all marked as demo data; a second load adds nothing', async () => {
    await loadDemoCatalogue(hub.deps.hub);
    const count = async (table: string) => Number((await queryDatabase<{ n: string }>(hub, `select count(*) as n from ${table}`))[0]!.n);
    expect([await count('reuse'), await count('experience_report'), await count('need')]).toEqual([7, 3, 2]);

    const masterportal = (await hub.app.inject('/v1/software/masterportal')).json();
    expect(masterportal.reuseCounts.byOtherOrganisations).toMatchObject({ total: 2, confirmed: 1, selfDeclared: 1, confirmedProduction: 1 });
    const experience = (await hub.app.inject('/v1/software/masterportal/experience')).json();
    expect(experience.aggregates).toMatchObject({ reports: 1, meanRecommendation: 5 });
    expect(experience.items[0].whatWorked.markdown).toMatch(/^\[Demodaten\]/);

    const needs = (await hub.app.inject('/v1/needs')).json().items as { id: string; description: string; matchCount: number }[];
    expect(needs).toHaveLength(2);
    expect(needs.every((n) => n.description.startsWith('[Demodaten]'))).toBe(true);
    const trees = needs.find((n) => n.description.includes('Bäume'))!;
    const detail = (await hub.app.inject(`/v1/needs/${trees.id}`)).json();
    expect(detail.matches.map((m: { software: { slug: string } }) => m.software.slug)).toContain('giess-den-kiez');

    expect(await loadKnowledgeTransferDemo(hub.deps.hub)).toEqual({ reuses: 0, experienceReports: 0, needs: 0 });
    expect([await count('reuse'), await count('experience_report'), await count('need')]).toEqual([7, 3, 2]);
  });
});
