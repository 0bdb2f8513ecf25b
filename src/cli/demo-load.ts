import { loadConfigOrExit } from '../config';
import { createDeps } from '../deps';
import { loadDemoCatalogue } from '../domain/demo/demo-catalogue';

/** `npm run demo:load`: loads the MPSC demo catalogue into the configured database (idempotent). */
const deps = await createDeps(loadConfigOrExit());
try {
  const loaded = await loadDemoCatalogue(deps.hub);
  console.log(`demo catalogue: ${loaded.organisations} organisations, ${loaded.software} software entries and ${loaded.repositories} repositories added`);
} finally {
  await deps.close();
}
