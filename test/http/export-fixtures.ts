import { loadDemoCatalogue } from '../../src/domain/demo/demo-catalogue';
import type { TestHub } from '../helpers/hub';

/** The demo catalogue (38 entries, 73+ organisations) loaded the way `npm run demo:load` does, without queueing crawls. */
export async function loadDemo(hub: TestHub) {
  const ctx = { ...hub.deps.hub, config: { ...hub.deps.hub.config, demoCrawl: false } };
  return loadDemoCatalogue(ctx);
}

/** Every listed entry's id, walking the list API. */
export async function listedSoftwareIds(hub: TestHub): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const page = (await hub.app.inject(`/v1/software?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)).json() as { items: { id: string }[]; nextCursor: string | null };
    ids.push(...page.items.map((item) => item.id));
    cursor = page.nextCursor;
  } while (cursor);
  return ids;
}
