import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { buildApp } from '../app';
import { loadConfig } from '../config';
import type { HubContext } from '../domain/context';
import { packagePath } from '../lib/package-root';

export const OPENAPI_FILE = packagePath('openapi', 'openapi.json');

/** Building the document needs the routes, not a database: any use of one here is a bug. */
function unavailable(what: string): never {
  return new Proxy({}, {
    get() {
      throw new Error(`${what} is not available while generating the OpenAPI document`);
    },
  }) as never;
}

export async function generateOpenapi(): Promise<string> {
  const hub: HubContext = {
    config: loadConfig({ HUB_DEMO: 'false' }),
    db: unavailable('the database'),
    pingDatabase: async () => {},
    queue: unavailable('the job queue'),
    logger: pino({ level: 'silent' }),
    deliveries: unavailable('the delivery store'),
    // Present (but unusable), so the federation routes are registered and documented although
    // this process has federation off; only their handlers would touch the keys.
    federationKeys: unavailable('the federation keys'),
  };
  const app = await buildApp(hub);
  try {
    return `${JSON.stringify(app.swagger(), null, 2)}\n`;
  } finally {
    await app.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(OPENAPI_FILE, await generateOpenapi());
  console.log(`wrote ${OPENAPI_FILE}`);
}
