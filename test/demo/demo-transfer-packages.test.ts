import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HubContext } from '../../src/domain/context';
import { loadDemoCatalogue } from '../../src/domain/demo/demo-catalogue';
import { admin, createTestHub, type TestHub } from '../helpers/hub';

let hub: TestHub;
beforeAll(async () => {
  hub = await createTestHub();
});
afterAll(async () => hub?.close());

/** The demo load queues first crawls; nothing here may reach the internet. */
function offline(): HubContext {
  const queue = { ...hub.deps.hub.queue, enqueue: async () => ({ jobId: 'x', deduplicated: false }) } as unknown as HubContext['queue'];
  return { ...hub.deps.hub, queue };
}

type Package = { present: number; applicable: number; kinds: { kind: string; status: string; item: { origin: string | null; url: string | null } | null }[] };

describe('the demo transfer packages', { timeout: 120_000 }, () => {
  it('give a few demo entries a partial package marked as demo data; loading again changes nothing and keeps the owner’s edits', async () => {
    await loadDemoCatalogue(offline());
    const frost = (await hub.app.inject('/v1/software/frost-server/transfer-package')).json() as Package;
    expect(frost).toMatchObject({ present: 3, applicable: 10 });
    expect(frost.kinds.find((k) => k.kind === 'procurement')!.status).toBe('not-applicable');
    const present = frost.kinds.filter((k) => k.status === 'present');
    expect(present.every((k) => k.item!.origin === 'demo data')).toBe(true);

    const edited = await hub.app.inject({
      method: 'PUT',
      url: '/v1/software/frost-server/transfer-package/installation-guide',
      headers: admin,
      payload: { url: 'https://example.org/eigene-anleitung' },
    });
    expect(edited.statusCode, edited.body).toBe(200);
    await loadDemoCatalogue(offline());
    const again = (await hub.app.inject('/v1/software/frost-server/transfer-package')).json() as Package;
    expect(again.kinds.find((k) => k.kind === 'installation-guide')!.item).toMatchObject({ url: 'https://example.org/eigene-anleitung', origin: null });
    expect(again.present).toBe(3);
  });
});
